namespace Tessera.Imaging;

/// <summary>
/// Options given to a constructor or factory were invalid. <see cref="Problems"/> holds every problem found (each in
/// the house form "Expected ... for Name but received ..."), so a library caller learns all of them at once, as the
/// command line does.
/// </summary>
public sealed class InvalidOptionsException : ArgumentException
{
    /// <param name="optionsName">The options type, e.g. <c>RenderOptions</c>.</param>
    /// <param name="problems">Every problem, at least one.</param>
    /// <param name="paramName">The parameter the options came in.</param>
    public InvalidOptionsException(string optionsName, IReadOnlyList<string> problems, string? paramName = null)
        : base($"Invalid {optionsName}:\n  " + string.Join("\n  ", problems), paramName)
    {
        Problems = problems;
    }

    public InvalidOptionsException()
        : this("options", [])
    {
    }

    public InvalidOptionsException(string message)
        : this("options", [message])
    {
    }

    public InvalidOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Every problem with the options.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Returns <paramref name="options"/> when <paramref name="problems"/> is empty, else throws them all.</summary>
    /// <exception cref="InvalidOptionsException">There were problems.</exception>
    public static T ThrowIfAny<T>(T options, IReadOnlyList<string> problems, string? paramName = null)
    {
        if (problems.Count > 0)
        {
            throw new InvalidOptionsException(typeof(T).Name, problems, paramName);
        }

        return options;
    }
}
