using System.Buffers.Binary;

namespace Kernel.Emulator.Deployments;

/// <summary>An entry's name and the Unix mode an unpacker on Linux gives it.</summary>
public sealed record ZipEntryMode(string Name, int Permissions)
{
    public bool IsFolder => Name.EndsWith('/');

    /// <summary>"0644 (-rw-r--r--)", as ls shows it.</summary>
    public string Describe()
    {
        var text = new char[10];
        text[0] = IsFolder ? 'd' : '-';
        const string letters = "rwxrwxrwx";
        for (var bit = 0; bit < 9; bit++)
        {
            text[bit + 1] = (Permissions & (1 << (8 - bit))) != 0 ? letters[bit] : '-';
        }

        return Convert.ToString(Permissions, 8).PadLeft(4, '0') + " (" + new string(text) + ")";
    }
}

/// <summary>
/// Reads the modes a Linux unpacker (Info-ZIP unzip, as a runtime would use) gives a ZIP's entries, from the
/// central directory that .NET's ZipArchive does not expose whole: an entry "made by Unix" gets the mode in
/// the high half of its external attributes, even 0 (then nobody but root can read it); an entry made on
/// another system gets the default 0644 for files and 0755 for folders, less the write bits when marked
/// read-only.
/// </summary>
public static class ZipEntryModes
{
    private const int HostUnix = 3;
    private const uint EndSignature = 0x06054b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint CentralSignature = 0x02014b50;

    /// <summary>Every entry's mode, in the central directory's order; null when the directory cannot be read.</summary>
    public static IReadOnlyList<ZipEntryMode>? Read(Stream zip)
    {
        try
        {
            var (count, offset, size) = FindCentralDirectory(zip);
            var directory = new byte[size];
            zip.Position = offset;
            zip.ReadExactly(directory);
            var entries = new List<ZipEntryMode>();
            var at = 0;
            for (long i = 0; i < count; i++)
            {
                if (BinaryPrimitives.ReadUInt32LittleEndian(directory.AsSpan(at)) != CentralSignature)
                {
                    return null;
                }

                var madeBy = BinaryPrimitives.ReadUInt16LittleEndian(directory.AsSpan(at + 4));
                var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(directory.AsSpan(at + 28));
                var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(directory.AsSpan(at + 30));
                var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(directory.AsSpan(at + 32));
                var attributes = BinaryPrimitives.ReadUInt32LittleEndian(directory.AsSpan(at + 38));
                var name = System.Text.Encoding.UTF8.GetString(directory, at + 46, nameLength);
                entries.Add(new ZipEntryMode(name, ModeOf(madeBy >> 8, attributes, name.EndsWith('/'))));
                at += 46 + nameLength + extraLength + commentLength;
            }

            return entries;
        }
        catch (Exception ex) when (ex is EndOfStreamException or ArgumentOutOfRangeException or IOException or OverflowException)
        {
            return null;
        }
    }

    private static int ModeOf(int host, uint attributes, bool isFolder)
    {
        if (host == HostUnix)
        {
            return (int)(attributes >> 16) & 0xFFF;
        }

        var mode = isFolder ? 0x1ED : 0x1A4; // 0755, 0644
        return (attributes & 0x01) != 0 ? mode & ~0x92 : mode; // read-only: no write bits
    }

    private static (long Count, long Offset, long Size) FindCentralDirectory(Stream zip)
    {
        var tailLength = (int)Math.Min(zip.Length, 22 + 0xFFFF + 20);
        var tail = new byte[tailLength];
        zip.Position = zip.Length - tailLength;
        zip.ReadExactly(tail);
        for (var at = tailLength - 22; at >= 0; at--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at)) != EndSignature)
            {
                continue;
            }

            long count = BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(at + 10));
            long size = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at + 12));
            long offset = BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at + 16));
            if ((count == 0xFFFF || size == 0xFFFFFFFF || offset == 0xFFFFFFFF) && at >= 20
                && BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(at - 20)) == Zip64LocatorSignature)
            {
                var record = new byte[56];
                zip.Position = (long)BinaryPrimitives.ReadUInt64LittleEndian(tail.AsSpan(at - 12));
                zip.ReadExactly(record);
                if (BinaryPrimitives.ReadUInt32LittleEndian(record) == Zip64EndSignature)
                {
                    count = (long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32));
                    size = (long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(40));
                    offset = (long)BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(48));
                }
            }

            return (count, offset, size);
        }

        throw new IOException("no end of central directory record");
    }
}
