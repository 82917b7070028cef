using System;

namespace Kernel.PowerShell.Packaging
{
    internal enum PackagingFailure
    {
        PathNotFound,
        NotAFolder,
        EmptyFolder,
        EntrypointInvalid,
        EntrypointNotFound,
        EntrypointExcluded,
        FileUnreadable,
        InvalidArchive,
        ArchiveTooLarge,
        ManifestNotFound,
    }

    /// <summary>The folder or archive cannot be packaged or uploaded as asked; nothing has been uploaded.</summary>
    internal sealed class PackagingException : Exception
    {
        public PackagingException(PackagingFailure failure, string target, string message, Exception? inner = null)
            : base(message, inner)
        {
            Failure = failure;
            Target = target;
        }

        public PackagingFailure Failure { get; }

        /// <summary>The path the failure is about.</summary>
        public string Target { get; }
    }
}
