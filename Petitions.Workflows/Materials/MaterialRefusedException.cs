namespace Petitions.Workflows.Materials;

/// <summary>Why an uploaded file was refused at the door, which decides the status a client gets.</summary>
public enum MaterialRefusal { Empty, TooLarge, UnsupportedType, TooMany, Malformed }

/// <summary>
/// An uploaded file was refused before anything of it was stored: empty, too large, of a type the content shows is not
/// allowed, one file too many, or a request that is not a readable multipart form. <see cref="Field"/> names the part
/// (<c>files[0]</c>) and <see cref="Code"/> is what the pages translate.
/// </summary>
public sealed class MaterialRefusedException(MaterialRefusal reason, string field, string message) : Exception(message)
{
    public MaterialRefusal Reason { get; } = reason;
    public string Field { get; } = field;

    public string Code => Reason switch
    {
        MaterialRefusal.Empty => "material-empty",
        MaterialRefusal.TooLarge => "material-too-large",
        MaterialRefusal.UnsupportedType => "material-type",
        MaterialRefusal.TooMany => "material-count",
        _ => "multipart",
    };

    /// <summary>The same refusal, named by the field the caller knows the file by.</summary>
    public MaterialRefusedException For(string field) => new(Reason, field, Message);
}
