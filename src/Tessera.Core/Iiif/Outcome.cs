using System.Diagnostics.CodeAnalysis;

namespace Tessera.Core.Iiif;

/// <summary>Either a value or an <see cref="IiifError"/>. Parsing and planning return this instead of throwing.</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1000:Do not declare static members on generic types", Justification = "Success/Failure factories are the intended way to build an outcome.")]
public readonly struct Outcome<T>
{
    private readonly T? _value;

    private Outcome(T? value, IiifError? error)
    {
        _value = value;
        Error = error;
    }

    /// <summary>The error, or null on success.</summary>
    public IiifError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    /// <summary>The value; throws when this outcome is an error.</summary>
    public T Value => Error is null ? _value! : throw new InvalidOperationException($"No value: {Error}");

    public static Outcome<T> Success(T value) => new(value, null);

    public static Outcome<T> Failure(IiifError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));

    public static implicit operator Outcome<T>(T value) => Success(value);

    public static implicit operator Outcome<T>(IiifError error) => Failure(error);

    public bool TryGetValue([NotNullWhen(true)] out T? value, [NotNullWhen(false)] out IiifError? error)
    {
        value = _value;
        error = Error;
        return Error is null;
    }
}
