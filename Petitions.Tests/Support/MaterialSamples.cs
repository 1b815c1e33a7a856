using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Petitions.Tests.Support;

/// <summary>Small files of every allowed type, built byte by byte as their formats say, and files that only pretend.</summary>
public static class MaterialSamples
{
    public static byte[] Pdf(string text = "") => Encoding.UTF8.GetBytes($"%PDF-1.4\n% {text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");

    /// <summary>A real 1×1 PNG, which a browser draws.</summary>
    public static byte[] Png() => Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    public static byte[] Jpeg() => [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, .. "JFIF\0"u8, 0x01, 0x01, 0, 0, 1, 0, 1, 0, 0, 0xFF, 0xD9];

    public static byte[] Tiff() => [.. "II*\0"u8, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    public static byte[] Amr() => [.. "#!AMR\n"u8, 0x3C, 0x48, 0xF5, 0x1F];

    public static byte[] Wav() => [.. "RIFF"u8, 36, 0, 0, 0, .. "WAVEfmt "u8, 16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1F, 0, 0, 0x80, 0x3E, 0, 0, 2, 0, 16, 0, .. "data"u8, 0, 0, 0, 0];

    /// <summary>Two MPEG-1 Layer III frames at 128 kbit/s and 44.1 kHz (417 bytes each), behind an ID3 tag or not.</summary>
    public static byte[] Mp3(bool id3 = true)
    {
        var frame = new byte[417];
        frame[0] = 0xFF;
        frame[1] = 0xFB;
        frame[2] = 0x90;
        byte[] tag = id3 ? [.. "ID3"u8, 3, 0, 0, 0, 0, 0, 10, .. new byte[10]] : [];
        return [.. tag, .. frame, .. frame];
    }

    public static byte[] Docx() => Zip("[Content_Types].xml", "_rels/.rels", "word/document.xml");

    public static byte[] Xlsx() => Zip("[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/worksheets/sheet1.xml");

    public static byte[] Ofd() => Zip("OFD.xml", "Doc_0/Document.xml");

    /// <summary>A ZIP that is no document: an executable inside.</summary>
    public static byte[] ZipWithProgram() => Zip("setup.exe", "readme.txt");

    /// <summary>A PowerPoint file: OOXML, but not one of the allowed documents.</summary>
    public static byte[] Pptx() => Zip("[Content_Types].xml", "ppt/presentation.xml");

    public static byte[] Doc() => CompoundFile("WordDocument", "1Table");

    public static byte[] Xls() => CompoundFile("Workbook");

    /// <summary>An OLE compound file like an installer (.msi): no Word or Excel stream.</summary>
    public static byte[] Installer() => CompoundFile("\u4840\u3F3F\u4577\u6C68", "SummaryInformation");

    public static byte[] Heic() => Box("ftyp", [.. "heic"u8, 0, 0, 0, 0, .. "mif1heic"u8]);

    /// <summary>A sound-only MP4 (M4A), under a generic brand: the tracks decide.</summary>
    public static byte[] M4a(string brand = "M4A ") => [.. Box("ftyp", [.. Encoding.ASCII.GetBytes(brand), 0, 0, 0, 0, .. "isom"u8]), .. Movie("soun")];

    /// <summary>An MP4 video: not a recording.</summary>
    public static byte[] Mp4Video() => [.. Box("ftyp", [.. "isom"u8, 0, 0, 0, 0, .. "mp42"u8]), .. Movie("vide", "soun")];

    public static byte[] Elf() => [0x7F, .. "ELF"u8, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3E, 0, .. new byte[64]];

    public static byte[] WindowsProgram() => [.. "MZ"u8, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, .. new byte[64], .. "PE\0\0"u8];

    public static byte[] Html() => "<!DOCTYPE html><html><script>alert(document.cookie)</script></html>"u8.ToArray();

    public static byte[] Svg() => "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>"u8.ToArray();

    private static byte[] Zip(params string[] entries)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in entries)
            {
                using var stream = zip.CreateEntry(entry).Open();
                stream.Write("<x/>"u8);
            }
        }
        return buffer.ToArray();
    }

    private static byte[] Box(string type, byte[] content)
    {
        var box = new byte[8 + content.Length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)box.Length);
        Encoding.ASCII.GetBytes(type, box.AsSpan(4));
        content.CopyTo(box, 8);
        return box;
    }

    private static byte[] Movie(params string[] handlers) =>
        Box("moov", [.. handlers.SelectMany(h => Box("trak", Box("mdia", Box("hdlr", [0, 0, 0, 0, 0, 0, 0, 0, .. Encoding.ASCII.GetBytes(h), .. new byte[12]]))))]);

    /// <summary>A minimal OLE compound file (512-byte sectors): the header, one FAT sector, one directory sector with the
    /// root and the named streams.</summary>
    private static byte[] CompoundFile(params string[] streams)
    {
        const uint Free = 0xFFFFFFFF, EndOfChain = 0xFFFFFFFE, FatSector = 0xFFFFFFFD;
        var file = new byte[512 * 3];
        var header = file.AsSpan(0, 512);
        new byte[] { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 }.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x18..], 0x3E);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x1A..], 3);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x1C..], 0xFFFE);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x1E..], 9);
        BinaryPrimitives.WriteUInt16LittleEndian(header[0x20..], 6);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x2C..], 1); // one FAT sector
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x30..], 1); // the directory starts at sector 1
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x38..], 4096);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x3C..], EndOfChain);
        BinaryPrimitives.WriteUInt32LittleEndian(header[0x44..], EndOfChain);
        for (var i = 0; i < 109; i++) BinaryPrimitives.WriteUInt32LittleEndian(header[(0x4C + i * 4)..], i == 0 ? 0 : Free);

        var fat = file.AsSpan(512, 512);
        for (var i = 0; i < 128; i++) BinaryPrimitives.WriteUInt32LittleEndian(fat[(i * 4)..], i switch { 0 => FatSector, 1 => EndOfChain, _ => Free });

        var directory = file.AsSpan(1024, 512);
        string[] names = ["Root Entry", .. streams];
        for (var i = 0; i < names.Length; i++)
        {
            var entry = directory.Slice(i * 128, 128);
            var name = Encoding.Unicode.GetBytes(names[i] + "\0");
            name.CopyTo(entry);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[0x40..], (ushort)name.Length);
            entry[0x42] = i == 0 ? (byte)5 : (byte)2;
        }
        return file;
    }
}
