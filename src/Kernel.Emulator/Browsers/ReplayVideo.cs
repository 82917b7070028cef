using System.Buffers.Binary;

namespace Kernel.Emulator.Browsers;

/// <summary>
/// What a replay download answers with: a real MP4 (one second of H.264, 160x90, made once with ffmpeg), followed
/// by a top-level <c>free</c> box whose size grows with the recording's length (16 KiB a second, at most 1 MiB),
/// so longer recordings are bigger downloads and every file is still a valid MP4.
/// </summary>
public static class ReplayVideo
{
    private const int BytesPerSecond = 16 * 1024;
    private const int MaxPadding = 1024 * 1024;
    private static readonly Lazy<byte[]> Video = new(() =>
    {
        using var stream = typeof(ReplayVideo).Assembly.GetManifestResourceStream("replay.mp4") ?? throw new InvalidOperationException("replay.mp4 is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static byte[] For(TimeSpan recorded)
    {
        var padding = (int)Math.Clamp(recorded.TotalSeconds * BytesPerSecond, 0, MaxPadding);
        var video = Video.Value;
        var file = new byte[video.Length + 8 + padding];
        video.CopyTo(file, 0);
        BinaryPrimitives.WriteUInt32BigEndian(file.AsSpan(video.Length), (uint)(8 + padding));
        "free"u8.CopyTo(file.AsSpan(video.Length + 4));
        return file;
    }
}
