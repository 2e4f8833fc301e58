namespace Tessera.Vips;

/// <summary>Why a path could not be looked at or opened (from its errno), in the few kinds callers answer differently.</summary>
public enum FileError
{
    None,

    /// <summary>ENOENT, ENOTDIR, ENAMETOOLONG: nothing there.</summary>
    NotFound,

    /// <summary>ELOOP: symbolic links that lead back to themselves (or more than 40 in a row).</summary>
    Loop,

    /// <summary>EACCES, EPERM.</summary>
    Denied,

    /// <summary>Anything else (EIO, EMFILE, ...).</summary>
    Other,
}
