using System;
using System.IO;
using System.Text;

namespace Kernel.PowerShell.Packaging
{
    /// <summary>
    /// Sets the comment of a finished ZIP (netstandard2.0's ZipArchive cannot): the comment sits after the
    /// End of Central Directory record, whose last field is its length. Readers ignore it; we use it to make
    /// every archive we build unique, so its SHA-256 names exactly one upload.
    /// </summary>
    internal static class ZipComment
    {
        private const int EndRecordLength = 22;
        private const uint EndRecordSignature = 0x06054b50;

        public static void Set(string path, string comment)
        {
            var bytes = Encoding.UTF8.GetBytes(comment);
            if (bytes.Length > ushort.MaxValue)
            {
                throw new ArgumentException("A ZIP comment holds at most 65535 bytes.", nameof(comment));
            }

            using var file = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            if (file.Length < EndRecordLength)
            {
                throw new InvalidDataException($"'{path}' is too short to be a ZIP archive.");
            }

            var record = new byte[EndRecordLength];
            file.Position = file.Length - EndRecordLength;
            ReadExactly(file, record);
            if (BitConverter.ToUInt32(record, 0) != EndRecordSignature || BitConverter.ToUInt16(record, 20) != 0)
            {
                throw new InvalidDataException($"'{path}' does not end with a comment-less End of Central Directory record.");
            }

            file.Position = file.Length - 2;
            file.WriteByte((byte)(bytes.Length & 0xff));
            file.WriteByte((byte)(bytes.Length >> 8));
            file.Write(bytes, 0, bytes.Length);
        }

        private static void ReadExactly(Stream stream, byte[] buffer)
        {
            var done = 0;
            while (done < buffer.Length)
            {
                var read = stream.Read(buffer, done, buffer.Length - done);
                if (read == 0)
                {
                    throw new EndOfStreamException();
                }

                done += read;
            }
        }
    }
}
