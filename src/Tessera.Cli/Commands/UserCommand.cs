using System.CommandLine;
using System.Text;
using Tessera.Server.Authentication;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera user add|remove|list</c>: writes the users file of Tessera's login page (<see cref="UsersFile"/>). The
/// password is read from standard input (one line) or, at a terminal, asked for twice without echo: never from the
/// command line, where the shell's history and <c>ps</c> would show it. A running server reads the changed file at its
/// next login or session check.
/// </summary>
internal static class UserCommand
{
    /// <summary>Shortest password accepted (NIST SP 800-63B's minimum for a chosen password).</summary>
    public const int MinimumPasswordLength = 8;

    public static Command Create()
    {
        var command = new Command(
            "user",
            """
            Manage the users file of Tessera's login page (serve --users FILE): names, roles and password hashes.

            Examples:
              tessera user add users.json alice --role staff
              printf '%s\n' "$PASSWORD" | tessera user add --users users.json bob --role reader --role staff
              tessera user list users.json
              tessera user remove users.json bob
            """);
        command.Subcommands.Add(Add());
        command.Subcommands.Add(Remove());
        command.Subcommands.Add(List());
        return command;
    }

    private static Command Add()
    {
        var (usersOption, file, name) = Target("The name to sign in with (1..100 characters; compared without case).");
        var roles = new Option<string[]>("--role") { Description = "A role to give (repeat for several); the access rules name roles.", AllowMultipleArgumentsPerToken = false };
        var replace = new Option<bool>("--replace") { Description = "Replace the user's password and roles if the name exists (otherwise that is an error)." };
        var command = new Command("add", "Add a user (password from standard input, or asked for twice at a terminal).") { usersOption, file, name, roles, replace };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!Resolve(result, usersOption, file, name, out var path, out var userName, out var problem))
            {
                return await Fail(result, problem);
            }

            var roleNames = (result.GetValue(roles) ?? []).Distinct(StringComparer.Ordinal).ToList();
            var problems = new[] { UsersFile.NameProblem(userName) }.Concat(roleNames.Select(UsersFile.RoleProblem)).OfType<string>().ToList();
            if (problems.Count > 0)
            {
                return await Fail(result, string.Join("\n", problems));
            }

            var users = new List<TesseraUser>();
            if (File.Exists(path))
            {
                var read = UsersFile.Read(path);
                if (read.Problems.Count > 0)
                {
                    return await Fail(result, string.Join("\n", read.Problems));
                }

                users.AddRange(read.Users);
            }

            var existing = users.FindIndex(u => string.Equals(u.Name, userName, StringComparison.OrdinalIgnoreCase));
            if (existing >= 0 && !result.GetValue(replace))
            {
                return await Fail(result, $"Expected a new name for tessera user add but \"{userName}\" is already in {path} (--replace changes its password and roles)");
            }

            var password = ReadPassword(userName, result.InvocationConfiguration.Error);
            if (password is null || password.Length < MinimumPasswordLength)
            {
                return await Fail(result, $"Expected a password of {MinimumPasswordLength} or more characters on standard input but received {(password is null ? "none (or two that differ)" : $"{password.Length}")}");
            }

            var user = new TesseraUser(userName, roleNames, UsersFile.HashPassword(password));
            if (existing >= 0)
            {
                users[existing] = user;
            }
            else
            {
                users.Add(user);
            }

            UsersFile.Write(path, users);
            await result.InvocationConfiguration.Output.WriteLineAsync($"{(existing >= 0 ? "replaced" : "added")} {userName}{(roleNames.Count > 0 ? " (" + string.Join(", ", roleNames) + ")" : "")} in {path}");
            return 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var (usersOption, file, name) = Target("The name of the user to remove.");
        var command = new Command("remove", "Remove a user; their sessions end at their next request.") { usersOption, file, name };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (!Resolve(result, usersOption, file, name, out var path, out var userName, out var problem))
            {
                return await Fail(result, problem);
            }

            if (!File.Exists(path))
            {
                return await Fail(result, $"Expected an existing users file but received \"{path}\"");
            }

            var (users, problems) = UsersFile.Read(path);
            if (problems.Count > 0)
            {
                return await Fail(result, string.Join("\n", problems));
            }

            var kept = users.Where(u => !string.Equals(u.Name, userName, StringComparison.OrdinalIgnoreCase)).ToList();
            if (kept.Count == users.Count)
            {
                return await Fail(result, $"Expected a user of {path} but received \"{userName}\", who is not in it");
            }

            UsersFile.Write(path, kept);
            await result.InvocationConfiguration.Output.WriteLineAsync($"removed {userName} from {path}");
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var usersOption = new Option<string?>("--users") { Description = "The users file (or give it as the first argument)." };
        var file = new Argument<string?>("FILE") { Description = "The users file.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("list", "List the users and their roles (never the hashes).") { usersOption, file };
        command.SetAction(async (result, cancellationToken) =>
        {
            var path = result.GetValue(usersOption) ?? result.GetValue(file);
            if (path is null || !File.Exists(path))
            {
                return await Fail(result, $"Expected an existing users file (FILE or --users) but received \"{path}\"");
            }

            var (users, problems) = UsersFile.Read(path);
            if (problems.Count > 0)
            {
                return await Fail(result, string.Join("\n", problems));
            }

            foreach (var user in users)
            {
                await result.InvocationConfiguration.Output.WriteLineAsync($"{user.Name}\t{string.Join(",", user.Roles)}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>The file and name, given as <c>FILE NAME</c> or as <c>--users FILE NAME</c>.</summary>
    private static (Option<string?> Users, Argument<string?> File, Argument<string?> Name) Target(string nameDescription) =>
        (new Option<string?>("--users") { Description = "The users file (created by the first add; or give it as the first argument)." },
         new Argument<string?>("FILE") { Description = "The users file, unless --users names it.", Arity = ArgumentArity.ZeroOrOne },
         new Argument<string?>("NAME") { Description = nameDescription, Arity = ArgumentArity.ZeroOrOne });

    private static bool Resolve(ParseResult result, Option<string?> usersOption, Argument<string?> file, Argument<string?> name, out string path, out string userName, out string problem)
    {
        var option = result.GetValue(usersOption);
        var first = result.GetValue(file);
        var second = result.GetValue(name);
        (path, userName, problem) = (option, first, second) switch
        {
            (null, { } f, { } n) => (f, n, string.Empty),
            ({ } o, { } n, null) => (o, n, string.Empty),
            _ => (string.Empty, string.Empty, "Expected FILE NAME or --users FILE NAME but received " + (option is null ? "" : "--users " + option + " ") + string.Join(' ', new[] { first, second }.OfType<string>())),
        };
        return problem.Length == 0;
    }

    /// <summary>One line of standard input when it is redirected; at a terminal, asked for twice without echo (null when the two differ).</summary>
    private static string? ReadPassword(string name, TextWriter prompt)
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }

        prompt.Write($"Password for {name}: ");
        var first = ReadHidden();
        prompt.Write("Again: ");
        var second = ReadHidden();
        return first == second ? first : null;
    }

    private static string ReadHidden()
    {
        var text = new StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                text.Length = Math.Max(0, text.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }

        Console.Error.WriteLine();
        return text.ToString();
    }

    private static async Task<int> Fail(ParseResult result, string message)
    {
        await result.InvocationConfiguration.Error.WriteLineAsync(message);
        return 2;
    }
}
