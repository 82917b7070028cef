using System;
using System.IO;
using System.Linq.Expressions;
using System.Runtime.InteropServices;
using System.Text;

namespace Kernel.PowerShell.Packaging
{
    /// <summary>What a directory entry is, as lstat(2) tells it.</summary>
    internal enum EntryKind
    {
        RegularFile,
        Directory,
        SymbolicLink,
        NamedPipe,
        Socket,
        CharacterDevice,
        BlockDevice,
    }

    /// <summary>
    /// The kind and permission bits of a path, read with lstat(2) on Linux and macOS. .NET Standard has no API
    /// for either: <see cref="FileAttributes"/> cannot tell a named pipe or a socket from a file, and opening
    /// a named pipe to find out blocks until a writer comes. The call goes through the runtime's own native
    /// layer (libSystem.Native, which every .NET on Unix loads), whose status record keeps the same
    /// platform-independent layout on every architecture; its first two fields are all that is read.
    /// </summary>
    internal readonly struct FileStatus
    {
        private const int TypeMask = 0xF000;
        private const int StatusRecordBytes = 512;
        private static readonly Func<FileSystemInfo, int>? EnumeratedMode = EnumeratedModeReader();
        private static readonly bool IsWindows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        private static bool _nativeMissing;

        public FileStatus(EntryKind kind, int permissions)
        {
            Kind = kind;
            Permissions = permissions;
        }

        public EntryKind Kind { get; }

        /// <summary>The permission bits (e.g. 0755).</summary>
        public int Permissions { get; }

        /// <summary>True when any of the owner, group or other execute bits is set.</summary>
        public bool IsExecutable => (Permissions & 0x49) != 0;

        /// <summary>The status of <paramref name="path"/> without following a link; null on Windows (where nothing here applies) or if it cannot be read.</summary>
        public static FileStatus? Of(string path)
        {
            if (_nativeMissing || IsWindows)
            {
                return null;
            }

            var record = new byte[StatusRecordBytes];
            try
            {
                if (NativeLStat(Encoding.UTF8.GetBytes(path + "\0"), record) != 0)
                {
                    return null;
                }
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                // A runtime without the native layer (none is known): every entry is then taken as what .NET says it is.
                _nativeMissing = true;
                return null;
            }

            var mode = BitConverter.ToInt32(record, 4);
            return new FileStatus(KindOf(mode & TypeMask), mode & 0xFFF);
        }

        /// <summary>
        /// The status of an entry a folder enumeration returned, as cheaply as it can be had. A folder needs
        /// none; a file with content cannot be a pipe, socket or device (those have no size), so only its mode
        /// is needed, and .NET 7 on (PowerShell 7.4 on) has it from the enumeration without another system
        /// call. Anything else, an empty file included, gets a real lstat.
        /// </summary>
        /// <param name="attributes">The entry's attributes, read once by the caller (each read works them out anew).</param>
        public static FileStatus? OfEntry(FileSystemInfo entry, FileAttributes attributes)
        {
            if (IsWindows)
            {
                return null;
            }

            if ((attributes & FileAttributes.ReparsePoint) == 0)
            {
                if ((attributes & FileAttributes.Directory) != 0)
                {
                    return new FileStatus(EntryKind.Directory, 0);
                }

                if (EnumeratedMode != null && entry is FileInfo file && file.Length > 0)
                {
                    return new FileStatus(EntryKind.RegularFile, EnumeratedMode(entry));
                }
            }

            return Of(entry.FullName);
        }

        /// <summary>How a kind reads in a message: "named pipe (FIFO)".</summary>
        public static string Describe(EntryKind kind) => kind switch
        {
            EntryKind.NamedPipe => "named pipe (FIFO)",
            EntryKind.Socket => "socket",
            EntryKind.CharacterDevice => "character device",
            EntryKind.BlockDevice => "block device",
            EntryKind.SymbolicLink => "symbolic link",
            EntryKind.Directory => "folder",
            _ => "file",
        };

        private static EntryKind KindOf(int type) => type switch
        {
            0x1000 => EntryKind.NamedPipe,
            0x2000 => EntryKind.CharacterDevice,
            0x4000 => EntryKind.Directory,
            0x6000 => EntryKind.BlockDevice,
            0xA000 => EntryKind.SymbolicLink,
            0xC000 => EntryKind.Socket,
            _ => EntryKind.RegularFile,
        };

        /// <summary>FileSystemInfo.UnixFileMode (.NET 7 on), which netstandard2.0 cannot name; null where it does not exist.</summary>
        private static Func<FileSystemInfo, int>? EnumeratedModeReader()
        {
            var property = typeof(FileSystemInfo).GetProperty("UnixFileMode");
            if (property == null)
            {
                return null;
            }

            var entry = Expression.Parameter(typeof(FileSystemInfo), "entry");
            return Expression.Lambda<Func<FileSystemInfo, int>>(Expression.Convert(Expression.Property(entry, property), typeof(int)), entry).Compile();
        }

        [DllImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
        private static extern int NativeLStat(byte[] path, byte[] status);
    }
}
