using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Tessera.Testing.Architecture;

/// <summary>
/// Finds unchecked memory access in a built assembly by reading its IL (DESIGN.md §3: unchecked access lives under
/// <c>Tessera.Vips/Interop</c>): calls to <c>System.Runtime.CompilerServices.Unsafe</c>, to the unchecked members of
/// <c>MemoryMarshal</c>, to the <c>*Unsafe</c> and pointer loads and stores of the vector types, to
/// <c>NativeMemory</c> and to <c>Marshal</c>'s pointer reads, writes and copies; and whether the assembly was compiled
/// with <c>unsafe</c> code allowed. IL rather than source text: aliases, <c>using static</c> and fully qualified
/// names cannot hide a call. Each use is put to the source file of the method that makes it, from the portable PDB
/// beside the assembly, so rules can name folders and files. Shared by the test projects through Tessera.Testing.
/// </summary>
public static class UncheckedMemoryAccess
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private static readonly string[] VectorTypes =
    [
        "System.Runtime.Intrinsics.Vector64", "System.Runtime.Intrinsics.Vector128", "System.Runtime.Intrinsics.Vector256",
        "System.Runtime.Intrinsics.Vector512", "System.Numerics.Vector",
    ];

    /// <summary>
    /// Whether a member is unchecked access: it reads or writes memory at an address or offset nothing checks, or
    /// makes a reference or span the runtime cannot bound.
    /// </summary>
    public static bool IsUnchecked(string type, string member) => type switch
    {
        "System.Runtime.CompilerServices.Unsafe" => true,
        "System.Runtime.InteropServices.NativeMemory" => true,
        "System.Runtime.InteropServices.MemoryMarshal" => member is "GetReference" or "GetArrayDataReference" or "CreateSpan"
            or "CreateReadOnlySpan" or "CreateReadOnlySpanFromNullTerminated",
        "System.Runtime.InteropServices.Marshal" => member.StartsWith("Read", StringComparison.Ordinal)
            || member.StartsWith("Write", StringComparison.Ordinal) || member.StartsWith("PtrTo", StringComparison.Ordinal)
            || member is "Copy" or "StructureToPtr" or "DestroyStructure",
        _ when VectorTypes.Contains(type) => member is "LoadUnsafe" or "StoreUnsafe" or "Load" or "LoadAligned"
            or "LoadAlignedNonTemporal" or "Store" or "StoreAligned" or "StoreAlignedNonTemporal",
        _ => false,
    };

    /// <summary>Whether the assembly was compiled with <c>unsafe</c> code allowed (the compiler marks its module <c>[UnverifiableCode]</c>).</summary>
    public static bool AllowsUnsafeCode(Assembly assembly) =>
        assembly.ManifestModule.GetCustomAttributesData().Any(a => a.AttributeType.FullName == "System.Security.UnverifiableCodeAttribute");

    /// <summary>Every call of an unchecked member in <paramref name="assembly"/>'s IL.</summary>
    /// <exception cref="FileNotFoundException">The assembly has no portable PDB beside it to put uses to files.</exception>
    public static IReadOnlyList<Use> Find(Assembly assembly)
    {
        var path = assembly.Location;
        var pdbPath = Path.ChangeExtension(path, ".pdb");
        if (!File.Exists(pdbPath))
        {
            throw new FileNotFoundException($"Expected a portable PDB beside {path} to put IL to source files but found none", pdbPath);
        }

        using var peStream = File.OpenRead(path);
        using var pdbStream = File.OpenRead(pdbPath);
        using var pe = new PEReader(peStream);
        using var pdbProvider = MetadataReaderProvider.FromPortablePdbStream(pdbStream);
        var metadata = pe.GetMetadataReader();
        var pdb = pdbProvider.GetMetadataReader();

        var uses = new List<Use>();
        foreach (var typeHandle in metadata.TypeDefinitions)
        {
            var type = metadata.GetTypeDefinition(typeHandle);
            if (metadata.GetString(type.Name) == "<PrivateImplementationDetails>")
            {
                // The compiler's own helpers (inline arrays behind collection expressions and params spans), sized by
                // the compiler: not code anyone wrote.
                continue;
            }

            foreach (var methodHandle in type.GetMethods())
            {
                var method = metadata.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0)
                {
                    continue;
                }

                var called = CalledMembers(pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!)
                    .Select(token => Describe(metadata, token))
                    .Where(m => m is { } d && IsUnchecked(d.Type, d.Member))
                    .Select(m => $"{m!.Value.Type}.{m.Value.Member}")
                    .Distinct()
                    .ToList();
                if (called.Count == 0)
                {
                    continue;
                }

                var file = SourceFile(pdb, methodHandle);
                var name = $"{TypeName(metadata, type)}.{metadata.GetString(method.Name)}";
                uses.AddRange(called.Select(member => new Use(name, file, member)));
            }
        }

        return uses;
    }

    /// <summary>
    /// Whether <paramref name="file"/> (a PDB document path) is the file <paramref name="relative"/> names, or lies
    /// in the folder it names (ending in <c>/</c>), e.g. <c>src/Tessera.Vips/Interop/</c>.
    /// </summary>
    public static bool IsIn(string? file, string relative)
    {
        if (file is null)
        {
            return false;
        }

        var path = file.Replace('\\', '/');
        return relative.EndsWith('/') ? path.Contains("/" + relative, StringComparison.Ordinal) : path.EndsWith("/" + relative, StringComparison.Ordinal);
    }

    /// <summary>The metadata tokens of the methods a method body calls, loads or constructs with.</summary>
    private static IEnumerable<int> CalledMembers(byte[] il)
    {
        for (var at = 0; at < il.Length;)
        {
            short value = il[at++];
            if (value == 0xFE)
            {
                value = unchecked((short)(0xFE00 | il[at++]));
            }

            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineTok:
                    yield return BitConverter.ToInt32(il, at);
                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                default:
                    at += 4;
                    break;
            }
        }
    }

    /// <summary>The declaring type's full name and the member's name, for a member reference (directly or through a generic instantiation).</summary>
    private static (string Type, string Member)? Describe(MetadataReader metadata, int token)
    {
        var handle = MetadataTokens.EntityHandle(token);
        if (handle.Kind == HandleKind.MethodSpecification)
        {
            handle = metadata.GetMethodSpecification((MethodSpecificationHandle)handle).Method;
        }

        if (handle.Kind != HandleKind.MemberReference)
        {
            // A method of this assembly, or a field or type token (ldtoken): not a call into the runtime's unchecked API.
            return null;
        }

        var reference = metadata.GetMemberReference((MemberReferenceHandle)handle);
        if (reference.Parent.Kind != HandleKind.TypeReference)
        {
            // Members of generic type instantiations (Vector128<byte>.Zero, Span<T>.Item): the unchecked API is all on
            // non-generic static classes.
            return null;
        }

        var parent = metadata.GetTypeReference((TypeReferenceHandle)reference.Parent);
        return ($"{metadata.GetString(parent.Namespace)}.{metadata.GetString(parent.Name)}", metadata.GetString(reference.Name));
    }

    private static string TypeName(MetadataReader metadata, TypeDefinition type)
    {
        var name = metadata.GetString(type.Name);
        var declaring = type.GetDeclaringType();
        return declaring.IsNil
            ? $"{metadata.GetString(type.Namespace)}.{name}"
            : $"{TypeName(metadata, metadata.GetTypeDefinition(declaring))}+{name}";
    }

    /// <summary>The source file of a method's first sequence point; null for a method without one (compiler-made, no source).</summary>
    private static string? SourceFile(MetadataReader pdb, MethodDefinitionHandle method)
    {
        var debug = pdb.GetMethodDebugInformation(method);
        var document = debug.Document;
        if (document.IsNil)
        {
            document = debug.GetSequencePoints().Select(p => p.Document).FirstOrDefault(d => !d.IsNil);
        }

        return document.IsNil ? null : pdb.GetString(pdb.GetDocument(document).Name);
    }

    /// <summary>One unchecked member called by one method, and the source file that method is in (null: unknown).</summary>
    public sealed record Use(string Method, string? File, string Member)
    {
        public override string ToString() => $"{Method} ({File ?? "no source"}) calls {Member}";
    }
}
