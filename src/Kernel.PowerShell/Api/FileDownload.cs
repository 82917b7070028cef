using System;
using System.IO;

namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// Where a download goes: a temporary file beside the destination, renamed to it only once the body is
    /// complete. Disposing deletes the temporary file, so a download that fails or is stopped midway leaves
    /// nothing behind and never a truncated file under the real name.
    /// </summary>
    internal sealed class FileDownload : IDisposable
    {
        private readonly bool _overwrite;
        private FileStream? _stream;
        private string? _temporary;

        public FileDownload(string destination, bool overwrite)
        {
            Destination = destination;
            _overwrite = overwrite;
        }

        /// <summary>The full path of the file to write.</summary>
        public string Destination { get; }

        /// <summary>A fresh, empty temporary file (the one of an earlier attempt is deleted).</summary>
        public Stream Begin()
        {
            Abandon();
            var folder = Path.GetDirectoryName(Destination)!;
            _temporary = Path.Combine(folder, "." + Path.GetFileName(Destination) + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + ".partial");
            _stream = new FileStream(_temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            return _stream;
        }

        /// <summary>Puts the complete file in place under its real name.</summary>
        public FileInfo Commit()
        {
            var temporary = _temporary ?? throw new InvalidOperationException("Nothing was downloaded.");
            _stream!.Dispose();
            _stream = null;
            if (_overwrite && File.Exists(Destination))
            {
                File.Replace(temporary, Destination, null);
            }
            else
            {
                File.Move(temporary, Destination);
            }

            _temporary = null;
            return new FileInfo(Destination);
        }

        public void Dispose() => Abandon();

        private void Abandon()
        {
            _stream?.Dispose();
            _stream = null;
            if (_temporary != null)
            {
                try
                {
                    File.Delete(_temporary);
                }
                catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
                {
                    // Locked by a scanner: a hidden .partial file is left, never a file under the real name.
                }

                _temporary = null;
            }
        }
    }
}
