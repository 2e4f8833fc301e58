namespace Tessera.Core.Iiif;

/// <summary>
/// The rotation parameter: "A leading exclamation mark ("!") indicates that the image should be mirrored by reflection
/// on the vertical axis before any rotation is applied. The numerical value represents the number of degrees of
/// clockwise rotation, and may be any floating point number from 0 to 360." (Image API 3.0 §4.3; same in 2.1.)
/// </summary>
/// <param name="Degrees">Clockwise degrees as written, 0..360 inclusive.</param>
/// <param name="Mirrored">The <c>!</c> prefix.</param>
public sealed record RotationSpec(double Degrees, bool Mirrored)
{
    /// <summary><c>0</c>.</summary>
    public static RotationSpec None { get; } = new(0, false);

    /// <summary>Degrees normalised to [0, 360): 360 is the same picture as 0.</summary>
    public double NormalizedDegrees => Degrees >= 360 ? 0 : Degrees;

    /// <summary>True when the rotation is a multiple of 90 degrees (the <c>rotationBy90s</c> feature or none).</summary>
    public bool IsMultipleOf90 => NormalizedDegrees % 90 == 0;

    /// <summary>
    /// Parses the rotation parameter. "A rotation value that is out of range or unsupported SHOULD result in a 400
    /// (Bad Request) status code."
    /// </summary>
    public static Outcome<RotationSpec> Parse(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return Error(value);
        }

        var mirrored = value[0] == '!';
        if (!IiifNumber.TryParseDecimal(mirrored ? value.AsSpan(1) : value.AsSpan(), out var degrees) || degrees > 360)
        {
            return Error(value);
        }

        return new RotationSpec(degrees, mirrored);
    }

    /// <summary>The canonical form: "! if the image is mirrored, followed by an integer if possible, otherwise a floating point value".</summary>
    public override string ToString() => (Mirrored ? "!" : "") + IiifNumber.Format(NormalizedDegrees);

    private static IiifError Error(string? value) =>
        IiifError.BadRequest("rotation", $"Expected 0..360 or !n for rotation but received {IiifNumber.Quote(value)}");
}
