using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security;
using System.Text;
using System.Text.Json;
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

        internal string ToJson()
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                json.WriteString("type", "github");
                json.WriteString("url", Url);
                json.WriteString("ref", Ref);
                json.WriteString("entrypoint", Entrypoint);
                if (!string.IsNullOrEmpty(Path))
                {
                    json.WriteString("path", Path);
                }

                if (Token != null)
                {
                    json.WriteStartObject("auth");
                    json.WriteString("method", "github_token");
                    json.WriteString("token", new NetworkCredential(string.Empty, Token).Password);
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            return Encoding.UTF8.GetString(buffer.ToArray());
        }
    }

    /// <summary>What <c>POST /deployments</c> carries: an archive and its entrypoint, or a GitHub source (kernel-api.md §6).</summary>
    internal sealed class DeploymentUpload
    {
        private DeploymentUpload(string? archivePath, string? entrypointRelPath, GitHubSource? source, string version, bool force, string region, IReadOnlyDictionary<string, string> envVars, bool uniqueArchive)
        {
            UniqueArchive = uniqueArchive;
            ArchivePath = archivePath;
            EntrypointRelPath = entrypointRelPath;
            Source = source;
            Version = version;
            Force = force;
            Region = region;
            EnvVars = envVars;
        }

        /// <summary>The ZIP to upload; null for a GitHub source.</summary>
        public string? ArchivePath { get; }

        public string? EntrypointRelPath { get; }

        public GitHubSource? Source { get; }

        public string Version { get; }

        public bool Force { get; }

        public string Region { get; }

        public IReadOnlyDictionary<string, string> EnvVars { get; }

        /// <summary>Hex SHA-256 of the archive as last sent whole; null until a body went out complete.</summary>
        public string? SentChecksum { get; private set; }

        /// <summary>Hex SHA-256 of the archive file (what the server reports as source_checksum).</summary>
        public string ArchiveChecksum()
        {
            if (SentChecksum != null)
            {
                return SentChecksum;
            }

            using var file = new FileStream(ArchivePath!, FileMode.Open, FileAccess.Read, FileShare.Read, 81920);
            using var sha = System.Security.Cryptography.SHA256.Create();
            return Hex(sha.ComputeHash(file));
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

        /// <summary>True when the archive was built for this upload alone (so its checksum names it exactly).</summary>
        public bool UniqueArchive { get; }

        public static DeploymentUpload FromArchive(string archivePath, string entrypointRelPath, string version, bool force, string region, IReadOnlyDictionary<string, string> envVars, bool uniqueArchive) =>
            new DeploymentUpload(archivePath, entrypointRelPath, null, version, force, region, envVars, uniqueArchive);

        public static DeploymentUpload FromGitHub(GitHubSource source, string version, bool force, string region, IReadOnlyDictionary<string, string> envVars) =>
            new DeploymentUpload(null, null, source, version, force, region, envVars, uniqueArchive: false);

        /// <summary>
        /// The multipart body. Text fields carry no Content-Type (like curl and the Go SDK); env vars use the
        /// <c>env_vars[KEY]</c> form the Node and Python SDKs send; <c>source</c> is a JSON part like the CLI's.
        /// The archive streams from disk.
        /// </summary>
        internal MultipartFormDataContent BuildContent(Action<long> bytesSent)
        {
            var content = new MultipartFormDataContent("kernel-ps-" + Guid.NewGuid().ToString("N"));
            if (ArchivePath != null)
            {
                var archive = new ProgressStreamContent(
                    new FileStream(ArchivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true),
                    bytesSent,
                    checksum => SentChecksum = checksum);
                archive.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
                archive.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = "\"app.zip\"" };
                content.Add(archive);
                AddField(content, "entrypoint_rel_path", EntrypointRelPath!);
            }
            else
            {
                var source = new ByteArrayContent(Encoding.UTF8.GetBytes(Source!.ToJson()));
                source.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                source.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"source\"" };
                content.Add(source);
            }

            AddField(content, "version", Version);
            AddField(content, "force", Force ? "true" : "false");
            AddField(content, "region", Region);
            foreach (var pair in EnvVars)
            {
                AddField(content, "env_vars[" + pair.Key + "]", pair.Value);
            }

            return content;
        }

        /// <summary>The field names sent, for the Verbose stream: names only, never values.</summary>
        internal string DescribeFields()
        {
            var names = ArchivePath != null
                ? new List<string> { "file", "entrypoint_rel_path" }
                : new List<string> { Source!.Token == null ? "source" : "source (with a GitHub token)" };
            names.AddRange(new[] { "version", "force", "region" });
            foreach (var key in EnvVars.Keys)
            {
                names.Add("env_vars[" + key + "]");
            }

            return string.Join(", ", names);
        }

        private static void AddField(MultipartFormDataContent content, string name, string value)
        {
            var part = new ByteArrayContent(Encoding.UTF8.GetBytes(value));
            part.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"" + name + "\"" };
            content.Add(part);
        }

        /// <summary>Streams a file into the request body, reporting each chunk and hashing what it sends.</summary>
        private sealed class ProgressStreamContent : HttpContent
        {
            private readonly Stream _source;
            private readonly Action<long> _bytesSent;
            private readonly Action<string> _sentWhole;

            public ProgressStreamContent(Stream source, Action<long> bytesSent, Action<string> sentWhole)
            {
                _source = source;
                _bytesSent = bytesSent;
                _sentWhole = sentWhole;
            }

            protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
            {
                var buffer = new byte[81920];
                long sent = 0;
                int read;
                _source.Position = 0;
                using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
                while ((read = await _source.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false)) > 0)
                {
                    await stream.WriteAsync(buffer, 0, read).ConfigureAwait(false);
                    sha.AppendData(buffer, 0, read);
                    sent += read;
                    _bytesSent(sent);
                }

                _sentWhole(Hex(sha.GetHashAndReset()));
            }

            protected override bool TryComputeLength(out long length)
            {
                length = _source.Length;
                return true;
            }

            protected override void Dispose(bool disposing)
            {
                if (disposing)
                {
                    _source.Dispose();
                }

                base.Dispose(disposing);
            }
        }
    }
}
