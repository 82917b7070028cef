using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Kernel.Emulator.Profiles;

/// <summary>
/// A profile's download as Kernel gives it: the user-data directory as a tar (POSIX ustar), by default wrapped in a
/// zstd frame (<c>tar.zst</c>). The frame uses raw blocks only (RFC 8878 §3.1.1.2.2), which every zstd decoder
/// reads, so no compressor is needed here.
/// </summary>
public static class ProfileArchive
{
    private const int MaxRawBlock = 128 * 1024;

    public static byte[] Tar(ProfileRecord profile)
    {
        var preferences = JsonSerializer.SerializeToUtf8Bytes(new
        {
            profile = new { name = profile.Name ?? profile.Id },
            kernel_emulator = new { profile_id = profile.Id, saved_by = profile.SavedBy, saved_at = profile.SavedAt },
        });
        using var tar = new MemoryStream();
        WriteEntry(tar, "Default/Preferences", preferences, profile.SavedAt ?? profile.CreatedAt);
        WriteEntry(tar, "Local State", "{}"u8.ToArray(), profile.SavedAt ?? profile.CreatedAt);
        tar.Write(new byte[1024]);
        return tar.ToArray();
    }

    public static byte[] TarZst(ProfileRecord profile)
    {
        var content = Tar(profile);
        using var frame = new MemoryStream();
        frame.Write([0x28, 0xB5, 0x2F, 0xFD]);
        frame.WriteByte(0xA0); // Frame_Header_Descriptor: 4-byte content size, single segment, no checksum
        var size = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(size, (uint)content.Length);
        frame.Write(size);
        for (var offset = 0; offset < content.Length; offset += MaxRawBlock)
        {
            var length = Math.Min(MaxRawBlock, content.Length - offset);
            var last = offset + length >= content.Length ? 1 : 0;
            var header = (uint)(length << 3) | (uint)last; // Block_Type 0: raw
            frame.Write([(byte)header, (byte)(header >> 8), (byte)(header >> 16)]);
            frame.Write(content, offset, length);
        }

        return frame.ToArray();
    }

    private static void WriteEntry(Stream tar, string name, byte[] content, DateTime modified)
    {
        var header = new byte[512];
        Encoding.ASCII.GetBytes(name).CopyTo(header, 0);
        Octal(header, 100, 8, 0b110_100_100);
        Octal(header, 108, 8, 0);
        Octal(header, 116, 8, 0);
        Octal(header, 124, 12, content.Length);
        Octal(header, 136, 12, new DateTimeOffset(modified, TimeSpan.Zero).ToUnixTimeSeconds());
        header[156] = (byte)'0';
        "ustar\0"u8.CopyTo(header.AsSpan(257));
        "00"u8.CopyTo(header.AsSpan(263));
        "        "u8.CopyTo(header.AsSpan(148));
        Octal(header, 148, 8, header.Sum(b => (long)b));
        tar.Write(header);
        tar.Write(content);
        tar.Write(new byte[(512 - (content.Length % 512)) % 512]);
    }

    private static void Octal(byte[] header, int offset, int width, long value) =>
        Encoding.ASCII.GetBytes(Convert.ToString(value, 8).PadLeft(width - 1, '0') + "\0").CopyTo(header, offset);
}
