using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;

namespace Kernel.PowerShell.Api
{
    /// <summary>What <c>POST /deployments</c> carries for an uploaded archive (kernel-api.md §6).</summary>
    internal sealed class DeploymentUpload
    {
        public DeploymentUpload(string archivePath, string entrypointRelPath, string version, bool force, string region, IReadOnlyDictionary<string, string> envVars)
        {
            ArchivePath = archivePath;
            EntrypointRelPath = entrypointRelPath;
            Version = version;
            Force = force;
            Region = region;
            EnvVars = envVars;
        }

        public string ArchivePath { get; }

        public string EntrypointRelPath { get; }

        public string Version { get; }

        public bool Force { get; }

        public string Region { get; }

        public IReadOnlyDictionary<string, string> EnvVars { get; }

        /// <summary>
        /// The multipart body. Text fields carry no Content-Type (like curl and the Go SDK); env vars use the
        /// <c>env_vars[KEY]</c> form the Node and Python SDKs send. The archive streams from disk.
        /// </summary>
        internal MultipartFormDataContent BuildContent(Action<long> bytesSent)
        {
            var content = new MultipartFormDataContent("kernel-ps-" + Guid.NewGuid().ToString("N"));
            var archive = new ProgressStreamContent(
                new FileStream(ArchivePath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true),
                bytesSent);
            archive.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
            archive.Headers.ContentDisposition = new ContentDispositionHeaderValue("form-data") { Name = "\"file\"", FileName = "\"app.zip\"" };
            content.Add(archive);

            AddField(content, "entrypoint_rel_path", EntrypointRelPath);
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
            var names = new List<string> { "file", "entrypoint_rel_path", "version", "force", "region" };
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

        /// <summary>Streams a file into the request body and reports each chunk sent.</summary>
        private sealed class ProgressStreamContent : HttpContent
        {
            private readonly Stream _source;
            private readonly Action<long> _bytesSent;

            public ProgressStreamContent(Stream source, Action<long> bytesSent)
            {
                _source = source;
                _bytesSent = bytesSent;
            }

            protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
            {
                var buffer = new byte[81920];
                long sent = 0;
                int read;
                _source.Position = 0;
                while ((read = await _source.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false)) > 0)
                {
                    await stream.WriteAsync(buffer, 0, read).ConfigureAwait(false);
                    sent += read;
                    _bytesSent(sent);
                }
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
