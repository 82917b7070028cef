using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security;
using System.Threading;
using Kernel.PowerShell.Diagnostics;
using System.Text;
using System.Threading.Tasks;

namespace Kernel.PowerShell.Api
{
    /// <summary>A GitHub repository to deploy from (the <c>source</c> part, kernel-api.md §6).</summary>
    internal sealed class GitHubSource
    {
        public GitHubSource(string url, string gitRef, string entrypoint, string? path, SecureString? token)
        {
            Url = url;
            Ref = gitRef;
            Entrypoint = entrypoint;
            Path = path;
            Token = token;
        }

        public string Url { get; }

        public string Ref { get; }

        /// <summary>Relative to <see cref="Path"/>.</summary>
        public string Entrypoint { get; }

        public string? Path { get; }

        public SecureString? Token { get; }
    }

    /// <summary>What <c>POST /deployments</c> carries: an archive and its entrypoint, or a GitHub source (kernel-api.md §6).</summary>
    internal sealed class DeploymentUpload
    {
        private DeploymentUpload(IArchiveSource? archive, string? entrypointRelPath, GitHubSource? source, string version, bool force, string region, IReadOnlyDictionary<string, string> envVars)
        {
            Archive = archive;
            EntrypointRelPath = entrypointRelPath;
            Source = source;
            Version = version;
            Force = force;
            Region = region;
            EnvVars = envVars;
        }

        /// <summary>The ZIP to upload; null for a GitHub source.</summary>
        public IArchiveSource? Archive { get; }

        public string? EntrypointRelPath { get; }

        public GitHubSource? Source { get; }

        public string Version { get; }

        public bool Force { get; }

        public string Region { get; }

        public IReadOnlyDictionary<string, string> EnvVars { get; }

        /// <summary>Hex SHA-256 of the archive as last sent whole; null until a body went out complete.</summary>
        public string? SentChecksum { get; private set; }

        /// <summary>Bytes of the archive last sent whole.</summary>
        public long SentLength { get; private set; }

        /// <summary>
        /// Why the archive itself could not be written (a file that cannot be read, an archive over its size
        /// limit), as opposed to the network failing: the upload was cut short, and sending it again cannot help.
        /// </summary>
        public Exception? ArchiveFailure { get; private set; }

        public static DeploymentUpload FromArchive(IArchiveSource archive, string entrypointRelPath, string version, bool force, string region, IReadOnlyDictionary<string, string> envVars) =>
            new DeploymentUpload(archive, entrypointRelPath, null, version, force, region, envVars);

        public static DeploymentUpload FromGitHub(GitHubSource source, string version, bool force, string region, IReadOnlyDictionary<string, string> envVars) =>
            new DeploymentUpload(null, null, source, version, force, region, envVars);

        /// <summary>Hex SHA-256 of the archive (what the server reports as source_checksum), writing it again if it never went out whole.</summary>
        public async Task<string> ArchiveChecksumAsync(IOperationObserver observer, CancellationToken cancellationToken)
        {
            if (SentChecksum != null)
            {
                return SentChecksum;
            }

            using var hashing = new HashingStream(Stream.Null, _ => { });
            await Archive!.WriteToAsync(hashing, observer, cancellationToken).ConfigureAwait(false);
            return hashing.Checksum();
        }

        internal static string Hex(byte[] hash)
        {
            var text = new StringBuilder(hash.Length * 2);
            foreach (var b in hash)
            {
                text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }

        /// <summary>
        /// The multipart body. Text fields carry no Content-Type (like curl and the Go SDK); env vars use the
        /// <c>env_vars[KEY]</c> form the Node and Python SDKs send; <c>source</c> is a JSON part like the CLI's.
        /// An archive of unknown size is written straight into the request (chunked), so packing and sending overlap.
        /// </summary>
        internal MultipartFormDataContent BuildContent(IOperationObserver observer, Action<long> bytesSent, Action sentWhole, CancellationToken cancellationToken)
        {
            var content = new MultipartFormDataContent("kernel-ps-" + Guid.NewGuid().ToString("N"));
            if (Archive != null)
            {
                content.Add(new ArchiveContent(Archive, "app.zip", observer, bytesSent, (checksum, length) =>
                {
                    SentChecksum = checksum;
                    SentLength = length;
                    sentWhole();
                }, failure => ArchiveFailure = failure, cancellationToken));
                MultipartParts.AddText(content, "entrypoint_rel_path", EntrypointRelPath!);
            }
            else
            {
                var source = new ByteArrayContent(Encoding.UTF8.GetBytes(WireFormat.Current.GitHubSourceJson(Source!)));
                source.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                source.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"source\"" };
                content.Add(source);
            }

            MultipartParts.AddText(content, "version", Version);
            MultipartParts.AddText(content, "force", Force ? "true" : "false");
            MultipartParts.AddText(content, "region", Region);
            foreach (var pair in EnvVars)
            {
                MultipartParts.AddText(content, "env_vars[" + pair.Key + "]", pair.Value);
            }

            return content;
        }

        /// <summary>The field names sent, for the Verbose stream: names only, never values.</summary>
        internal string DescribeFields()
        {
            var names = Archive != null
                ? new List<string> { "file", "entrypoint_rel_path" }
                : new List<string> { Source!.Token == null ? "source" : "source (with a GitHub token)" };
            names.AddRange(new[] { "version", "force", "region" });
            foreach (var key in EnvVars.Keys)
            {
                names.Add("env_vars[" + key + "]");
            }

            return string.Join(", ", names);
        }
    }
}
