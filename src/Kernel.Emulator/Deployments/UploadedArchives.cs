namespace Kernel.Emulator.Deployments;

/// <summary>
/// Copies of the last uploaded archives, for tests that check what a client really sent
/// (<c>GET /_emulator/deployments/{id}/archive</c>): the last <see cref="Kept"/> uploads of at most
/// <see cref="MaxBytes"/> bytes each, so a benchmark's gigabyte uploads cost no memory.
/// </summary>
public sealed class UploadedArchives
{
    public const int Kept = 8;
    public const long MaxBytes = 32L * 1024 * 1024;

    private readonly object _gate = new();
    private readonly LinkedList<(string Id, byte[] Bytes)> _archives = new();

    /// <summary>Keeps a copy of the deployment's upload (read from the start) when it is small enough.</summary>
    public void Keep(string deploymentId, Stream upload)
    {
        if (upload.Length > MaxBytes)
        {
            return;
        }

        var bytes = new byte[upload.Length];
        upload.Position = 0;
        upload.ReadExactly(bytes);
        lock (_gate)
        {
            _archives.AddLast((deploymentId, bytes));
            if (_archives.Count > Kept)
            {
                _archives.RemoveFirst();
            }
        }
    }

    public IResult Serve(string deploymentId)
    {
        lock (_gate)
        {
            foreach (var (id, bytes) in _archives)
            {
                if (id == deploymentId)
                {
                    return Results.File(bytes, "application/zip", deploymentId + ".zip");
                }
            }
        }

        return KernelErrors.Answer(StatusCodes.Status404NotFound, "not_found", $"no archive kept for deployment '{deploymentId}': only the last {Kept} uploads of at most {MaxBytes / (1024 * 1024)} MB are kept");
    }
}
