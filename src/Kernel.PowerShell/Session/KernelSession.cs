using System;
using System.Security;
using System.Threading;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Session;

namespace Kernel.PowerShell
{
    /// <summary>
    /// A connection to one Kernel endpoint with one API key. Safe to print, pass around and share between
    /// runspaces (<c>$using:session</c>): it shows where the key came from, never the key.
    /// </summary>
    public sealed class KernelSession : IDisposable
    {
        private static int s_lastId;
        private readonly KernelApiClient _client;
        private int _closed;

        internal KernelSession(Uri baseUri, SecureString apiKey, string apiKeySource, string? projectId, SessionSettings? settings = null)
        {
            settings ??= new SessionSettings();
            Id = Interlocked.Increment(ref s_lastId);
            BaseUri = baseUri;
            ApiKeySource = apiKeySource;
            ProjectId = projectId;
            ConnectedAt = DateTimeOffset.Now;
            apiKey.MakeReadOnly();
            _client = new KernelApiClient(baseUri, apiKey, projectId)
            {
                RequestTimeout = settings.RequestTimeout,
                IdleTimeout = settings.IdleTimeout,
                Retries = new Api.RetryPolicy(settings.MaxRetries),
            };
            MaxRetries = settings.MaxRetries;
            RequestTimeout = settings.RequestTimeout;
            IdleTimeout = settings.IdleTimeout;
        }

        /// <summary>A number unique in this process, to tell sessions apart.</summary>
        public int Id { get; }

        public Uri BaseUri { get; }

        /// <summary>Sent as X-Kernel-Project-Id; empty means the key's default project.</summary>
        public string? ProjectId { get; }

        /// <summary>Where the API key came from, e.g. "-ApiKey parameter" or "KERNEL_API_KEY environment variable".</summary>
        public string ApiKeySource { get; }

        public DateTimeOffset ConnectedAt { get; }

        /// <summary>How often a failed safe request (GET, DELETE, PATCH) is tried again.</summary>
        public int MaxRetries { get; }

        /// <summary>Longest wait for the answer to a plain request.</summary>
        public TimeSpan RequestTimeout { get; }

        /// <summary>Longest silence tolerated while uploading or following events.</summary>
        public TimeSpan IdleTimeout { get; }

        public bool IsClosed => Volatile.Read(ref _closed) != 0;

        /// <summary>What tab completion offers for this session (app names, ids), kept briefly.</summary>
        internal Session.CompletionCache Completions { get; } = new Session.CompletionCache();

        internal KernelApiClient Client => IsClosed
            ? throw new ObjectDisposedException(nameof(KernelSession), $"Kernel session {Id} to {BaseUri} was disconnected; run Connect-Kernel again.")
            : _client;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
            {
                _client.Dispose();
            }
        }

        public override string ToString() => $"Kernel session {Id} to {BaseUri}";
    }

    /// <summary>The tunable parts of a session, with the official SDKs' defaults.</summary>
    internal sealed class SessionSettings
    {
        public int MaxRetries { get; set; } = 2;

        public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

        public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(60);
    }
}
