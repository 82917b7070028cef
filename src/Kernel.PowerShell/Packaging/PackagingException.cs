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
    }

    /// <summary>The app folder cannot be packaged as asked; nothing has been uploaded.</summary>
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
