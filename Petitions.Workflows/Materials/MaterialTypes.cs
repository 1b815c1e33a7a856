using System.Buffers.Binary;
using System.Text;

namespace Petitions.Workflows.Materials;

/// <summary>
/// An allowed kind of file: its code, the media type it is served as, its usual extensions (the first is the one a
/// download gets when its name has none of them) and whether the case page may show it inline (images a browser
/// draws, and PDF).
/// </summary>
public sealed record MaterialType(string Code, string MediaType, IReadOnlyList<string> Extensions, bool Previewable)
{
    public string Extension => Extensions[0];
}

/// <summary>
/// Decides a file's type from its content alone, never from its name or the content type a client claims. The first
/// bytes name a family; formats that are containers (ZIP for Word, Excel and OFD, the OLE compound file for legacy
/// Word and Excel, ISO media for HEIC and M4A, MP3 behind an ID3 tag) are confirmed by reading their directory, so an
/// archive or a video is not taken for a document or a recording. Anything else, executables first, is refused.
/// </summary>
public static class MaterialTypes
{
    public static readonly MaterialType Pdf = new("pdf", "application/pdf", [".pdf"], true);
    public static readonly MaterialType Jpeg = new("jpeg", "image/jpeg", [".jpg", ".jpeg"], true);
    public static readonly MaterialType Png = new("png", "image/png", [".png"], true);
    public static readonly MaterialType Tiff = new("tiff", "image/tiff", [".tif", ".tiff"], false);
    public static readonly MaterialType Heic = new("heic", "image/heic", [".heic", ".heif"], false);
    public static readonly MaterialType Docx = new("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", [".docx"], false);
    public static readonly MaterialType Xlsx = new("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", [".xlsx"], false);
    public static readonly MaterialType Doc = new("doc", "application/msword", [".doc"], false);
    public static readonly MaterialType Xls = new("xls", "application/vnd.ms-excel", [".xls"], false);
    public static readonly MaterialType Ofd = new("ofd", "application/ofd", [".ofd"], false);
    public static readonly MaterialType Mp3 = new("mp3", "audio/mpeg", [".mp3"], false);
    public static readonly MaterialType Amr = new("amr", "audio/amr", [".amr"], false);
    public static readonly MaterialType M4a = new("m4a", "audio/mp4", [".m4a"], false);
    public static readonly MaterialType Wav = new("wav", "audio/wav", [".wav"], false);

    public static IReadOnlyList<MaterialType> All { get; } = [Pdf, Jpeg, Png, Tiff, Heic, Docx, Xlsx, Doc, Xls, Ofd, Mp3, Amr, M4a, Wav];

    public static MaterialType ByCode(string code) =>
        All.FirstOrDefault(t => t.Code == code) ?? throw new InvalidOperationException($"'{code}' is not a material type.");

    /// <summary>How many leading bytes <see cref="Sniff"/> needs.</summary>
    public const int HeadBytes = 16;

    /// <summary>The family the leading bytes announce, or null when they announce nothing allowed: the upload can be
    /// refused before the rest of it arrives.</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith("%PDF-"u8)) return Pdf.Code;
        if (head.StartsWith(JpegStart)) return Jpeg.Code;
        if (head.StartsWith(PngSignature)) return Png.Code;
        if (head.StartsWith("II*\0"u8) || head.StartsWith("MM\0*"u8)) return Tiff.Code;
        if (head.StartsWith("#!AMR\n"u8) || head.StartsWith("#!AMR-WB\n"u8)) return Amr.Code;
        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WAVE"u8)) return Wav.Code;
        if (head.StartsWith("PK\x03\x04"u8)) return Zip;
        if (head.StartsWith(OleSignature)) return Ole;
        if (head.Length >= 8 && head[4..8].SequenceEqual("ftyp"u8)) return IsoMedia;
        if (head.StartsWith("ID3"u8) || (head.Length >= 4 && Mp3Frame.Length(head) > 0)) return Mp3.Code;
        return null;
    }

    private static readonly byte[] JpegStart = [0xFF, 0xD8, 0xFF];
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly byte[] OleSignature = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

    private const string Zip = "zip";
    private const string Ole = "ole";
    private const string IsoMedia = "iso-media";

    /// <summary>The type of a whole file whose leading bytes announced <paramref name="family"/>; null when its
    /// structure does not bear that out. <paramref name="content"/> is seekable plaintext.</summary>
    public static async Task<MaterialType?> DecideAsync(string family, Stream content, CancellationToken ct) => family switch
    {
        Zip => await ZipTypeAsync(content, ct),
        Ole => await OleTypeAsync(content, ct),
        IsoMedia => await IsoMediaTypeAsync(content, ct),
        "mp3" => await Mp3TypeAsync(content, ct),
        _ => ByCode(family),
    };

    /// <summary>Office Open XML (Word, Excel) and OFD are ZIP archives: their central directory names their parts.</summary>
    private static async Task<MaterialType?> ZipTypeAsync(Stream content, CancellationToken ct)
    {
        const int EndRecord = 22;
        var length = content.Length;
        var tail = new byte[(int)Math.Min(length, EndRecord + ushort.MaxValue)];
        if (await ReadAtAsync(content, length - tail.Length, tail, ct) < tail.Length) return null;
        var end = tail.AsSpan().LastIndexOf("PK\x05\x06"u8);
        if (end < 0 || end + EndRecord > tail.Length) return null;
        var record = tail.AsSpan(end);
        var entries = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
        var directorySize = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);
        var directoryOffset = BinaryPrimitives.ReadUInt32LittleEndian(record[16..]);
        // ZIP64 archives (over 65,535 entries or 4 GiB) are not documents anyone scans at a desk.
        if (entries is 0 or > 10_000 || directorySize > 4 * 1024 * 1024 || directoryOffset + (long)directorySize > length - tail.Length + end) return null;

        var directory = new byte[directorySize];
        if (await ReadAtAsync(content, directoryOffset, directory, ct) < directory.Length) return null;
        var names = new HashSet<string>(StringComparer.Ordinal);
        var position = 0;
        for (var i = 0; i < entries; i++)
        {
            var entry = directory.AsSpan(position);
            if (entry.Length < 46 || !entry.StartsWith("PK\x01\x02"u8)) return null;
            int nameLength = BinaryPrimitives.ReadUInt16LittleEndian(entry[28..]);
            var skip = 46 + nameLength + BinaryPrimitives.ReadUInt16LittleEndian(entry[30..]) + BinaryPrimitives.ReadUInt16LittleEndian(entry[32..]);
            if (entry.Length < skip) return null;
            names.Add(Encoding.UTF8.GetString(entry.Slice(46, nameLength)));
            position += skip;
        }
        if (names.Contains("[Content_Types].xml"))
            return names.Any(n => n.StartsWith("word/", StringComparison.Ordinal)) ? Docx
                : names.Any(n => n.StartsWith("xl/", StringComparison.Ordinal)) ? Xlsx
                : null;
        return names.Contains("OFD.xml") ? Ofd : null;
    }

    /// <summary>Legacy Word and Excel files are OLE compound files; an installer (.msi) is one too. The directory names
    /// the streams: "WordDocument" for Word, "Workbook" (or "Book") for Excel.</summary>
    private static async Task<MaterialType?> OleTypeAsync(Stream content, CancellationToken ct)
    {
        const uint EndOfChain = 0xFFFFFFFE;
        var header = new byte[512];
        if (await ReadAtAsync(content, 0, header, ct) < header.Length) return null;
        var shift = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x1E));
        if (shift is not (9 or 12)) return null;
        var sectorSize = 1 << shift;
        var perSector = sectorSize / 4;
        var sectors = (content.Length - sectorSize) / sectorSize;
        var fatCount = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x2C));
        if (fatCount == 0 || fatCount > sectors) return null;

        // Where the allocation table lives: 109 sectors named in the header, the rest in a chain of DIFAT sectors.
        var fat = new List<uint>();
        for (var i = 0; i < 109 && fat.Count < fatCount; i++) fat.Add(BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x4C + i * 4)));
        var difat = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x44));
        var sector = new byte[sectorSize];
        for (var hops = 0; fat.Count < fatCount; hops++)
        {
            if (difat >= sectors || hops > sectors) return null;
            await ReadAtAsync(content, (difat + 1L) * sectorSize, sector, ct);
            for (var i = 0; i < perSector - 1 && fat.Count < fatCount; i++) fat.Add(BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(i * 4)));
            difat = BinaryPrimitives.ReadUInt32LittleEndian(sector.AsSpan(sectorSize - 4));
        }

        var next = new byte[4];
        var streams = new HashSet<string>(StringComparer.Ordinal);
        var directory = BinaryPrimitives.ReadUInt32LittleEndian(header.AsSpan(0x30));
        for (var hops = 0; directory != EndOfChain; hops++)
        {
            if (directory >= sectors || hops > 4096) return null;
            await ReadAtAsync(content, (directory + 1L) * sectorSize, sector, ct);
            for (var entry = 0; entry + 128 <= sectorSize; entry += 128)
            {
                var nameBytes = BinaryPrimitives.ReadUInt16LittleEndian(sector.AsSpan(entry + 0x40));
                if (sector[entry + 0x42] == 2 && nameBytes is >= 4 and <= 64)
                    streams.Add(Encoding.Unicode.GetString(sector, entry, nameBytes - 2));
            }
            var table = directory / (uint)perSector;
            if (table >= fat.Count || fat[(int)table] >= sectors) return null;
            await ReadAtAsync(content, (fat[(int)table] + 1L) * sectorSize + directory % (uint)perSector * 4, next, ct);
            directory = BinaryPrimitives.ReadUInt32LittleEndian(next);
        }
        return streams.Contains("WordDocument") ? Doc : streams.Contains("Workbook") || streams.Contains("Book") ? Xls : null;
    }

    private static readonly string[] HeicBrands = ["heic", "heix", "heim", "heis", "hevc", "hevx"];

    /// <summary>ISO media: HEIC images by their brand; M4A when every track of the movie is sound (an MP4 video is not a
    /// recording, whatever its brand says).</summary>
    private static async Task<MaterialType?> IsoMediaTypeAsync(Stream content, CancellationToken ct)
    {
        var head = new byte[8];
        await ReadAtAsync(content, 0, head, ct);
        var ftypSize = BinaryPrimitives.ReadUInt32BigEndian(head);
        if (ftypSize is < 16 or > 4096) return null;
        var ftyp = new byte[ftypSize];
        if (await ReadAtAsync(content, 0, ftyp, ct) < ftyp.Length) return null;
        var brands = Enumerable.Range(0, (int)(ftypSize - 16) / 4).Select(i => Encoding.ASCII.GetString(ftyp, 16 + i * 4, 4))
            .Append(Encoding.ASCII.GetString(ftyp, 8, 4));
        if (brands.Any(HeicBrands.Contains)) return Heic;

        var (sound, other) = (0, 0);
        await foreach (var (type, start, end) in BoxesAsync(content, ftypSize, content.Length, ct))
        {
            if (type != "moov") continue;
            await foreach (var track in BoxesAsync(content, start, end, ct))
            {
                if (track.Type != "trak") continue;
                var handler = await HandlerAsync(content, track.Start, track.End, ct);
                if (handler == "soun") sound++;
                else other++;
            }
        }
        return sound > 0 && other == 0 ? M4a : null;
    }

    private static async Task<string?> HandlerAsync(Stream content, long start, long end, CancellationToken ct)
    {
        await foreach (var media in BoxesAsync(content, start, end, ct))
        {
            if (media.Type != "mdia") continue;
            await foreach (var box in BoxesAsync(content, media.Start, media.End, ct))
            {
                if (box.Type != "hdlr" || box.End - box.Start < 12) continue;
                var handler = new byte[4];
                await ReadAtAsync(content, box.Start + 8, handler, ct); // after version, flags and pre_defined
                return Encoding.ASCII.GetString(handler);
            }
        }
        return null;
    }

    /// <summary>The boxes between two offsets: their type and where their content starts and ends. A box that does not
    /// fit its parent ends the walk (the file is then decided by what was found, usually nothing).</summary>
    private static async IAsyncEnumerable<(string Type, long Start, long End)> BoxesAsync(
        Stream content, long from, long to, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var header = new byte[16];
        for (var (position, count) = (from, 0); position + 8 <= to && count < 10_000; count++)
        {
            await ReadAtAsync(content, position, header, ct);
            long size = BinaryPrimitives.ReadUInt32BigEndian(header);
            var headerSize = 8;
            if (size == 1)
            {
                size = (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(header.AsSpan(8)), long.MaxValue);
                headerSize = 16;
            }
            else if (size == 0)
            {
                size = to - position;
            }
            if (size < headerSize || size > to - position) yield break;
            yield return (Encoding.ASCII.GetString(header, 4, 4), position + headerSize, position + size);
            position += size;
        }
    }

    /// <summary>MP3: an ID3 tag (its size is in its header) and then two MPEG audio frames in a row, or one that ends the file.</summary>
    private static async Task<MaterialType?> Mp3TypeAsync(Stream content, CancellationToken ct)
    {
        var header = new byte[10];
        await ReadAtAsync(content, 0, header, ct);
        long position = 0;
        if (header.AsSpan().StartsWith("ID3"u8))
        {
            var size = (header[6] & 0x7F) << 21 | (header[7] & 0x7F) << 14 | (header[8] & 0x7F) << 7 | (header[9] & 0x7F);
            position = 10 + size + ((header[5] & 0x10) != 0 ? 10 : 0);
        }
        var frame = new byte[4];
        for (var i = 0; i < 2; i++)
        {
            if (position == content.Length && i == 1) return Mp3;
            var length = await ReadAtAsync(content, position, frame, ct) < 4 ? 0 : Mp3Frame.Length(frame);
            if (length <= 0) return null;
            position += length;
        }
        return Mp3;
    }

    /// <summary>Reads up to the buffer's length at a position; fewer bytes only at the end of the content.</summary>
    private static async Task<int> ReadAtAsync(Stream content, long position, Memory<byte> buffer, CancellationToken ct)
    {
        if (position < 0 || position >= content.Length) return 0;
        content.Position = position;
        return await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct);
    }

    /// <summary>An MPEG-1/2/2.5 Layer III frame header.</summary>
    private static class Mp3Frame
    {
        private static readonly int[] Mpeg1Bitrates = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
        private static readonly int[] Mpeg2Bitrates = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
        private static readonly int[][] SampleRates = [[11025, 12000, 8000], [], [22050, 24000, 16000], [44100, 48000, 32000]];

        /// <summary>The frame's length in bytes, or 0 when the four bytes are not a Layer III frame header.</summary>
        public static int Length(ReadOnlySpan<byte> h)
        {
            if (h[0] != 0xFF || (h[1] & 0xE0) != 0xE0) return 0;
            var version = (h[1] >> 3) & 3; // 0: MPEG 2.5, 1: reserved, 2: MPEG 2, 3: MPEG 1
            var layer = (h[1] >> 1) & 3;   // 1: Layer III
            var bitrateIndex = h[2] >> 4;
            var rateIndex = (h[2] >> 2) & 3;
            if (version == 1 || layer != 1 || bitrateIndex is 0 or 15 || rateIndex == 3) return 0;
            var bitrate = (version == 3 ? Mpeg1Bitrates : Mpeg2Bitrates)[bitrateIndex] * 1000;
            var sampleRate = SampleRates[version][rateIndex];
            var padding = (h[2] >> 1) & 1;
            return (version == 3 ? 144 : 72) * bitrate / sampleRate + padding;
        }
    }
}
