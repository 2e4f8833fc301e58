namespace Tessera.Imaging.Storage;

/// <summary>
/// The remote side of a resolved source: where its bytes are and at which version. A pyramid TIFF is read in place
/// (<see cref="InPlace"/>: directories and tiles by ranged GETs through <see cref="Bytes"/>); anything else, and any
/// render of a TIFF that needs libvips, reads the whole object from the spool (<see cref="EnsureLocal"/>).
/// </summary>
public sealed class RemoteObject
{
    private readonly RemoteSpool _spool;

    internal RemoteObject(IRemoteStore store, RemoteObjectInfo info, RemoteSpool spool, bool inPlace)
    {
        Store = store;
        Info = info;
        _spool = spool;
        InPlace = inPlace;
        Bytes = new RemoteBytes(store, info);
        LocalPath = spool.PathFor(store, info);
    }

    /// <summary>The store holding it.</summary>
    public IRemoteStore Store { get; }

    /// <summary>Its length and version, from the HEAD this resolution made (or trusted).</summary>
    public RemoteObjectInfo Info { get; }

    /// <summary>Whether it is read by range in place (a TIFF with ranges allowed) rather than whole from the spool.</summary>
    public bool InPlace { get; }

    /// <summary>Ranged reads of this version.</summary>
    public RemoteBytes Bytes { get; }

    /// <summary>Where the spool keeps (or will keep) this version; <see cref="EnsureLocal"/> makes sure it is there.</summary>
    public string LocalPath { get; }

    /// <summary>The object's name for messages (<c>s3://bucket/key</c>, a URL).</summary>
    public string Name => Store.Describe(Info.Key);

    /// <summary>This object read from the spool rather than in place (a TIFF the in-place paths cannot serve).</summary>
    public RemoteObject Spooled() => InPlace ? new RemoteObject(Store, Info, _spool, inPlace: false) : this;

    /// <summary>The spooled file of this version, fetched whole first when it is not there.</summary>
    /// <exception cref="RemoteStoreException">The fetch failed.</exception>
    public string EnsureLocal(CancellationToken cancellationToken = default) => _spool.Fetch(Store, Info, cancellationToken);
}
