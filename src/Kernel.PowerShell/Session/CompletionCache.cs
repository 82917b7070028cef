using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace Kernel.PowerShell.Session
{
    /// <summary>A value offered by tab completion, with the text shown beside it.</summary>
    internal sealed class CompletionItem
    {
        public CompletionItem(string text, string toolTip)
        {
            Text = text;
            ToolTip = toolTip;
        }

        public string Text { get; }

        public string ToolTip { get; }
    }

    /// <summary>
    /// What tab completion offers for one session, fetched in the background and kept for a short while.
    /// A lookup never waits longer than its budget: if the fetch is slower, it answers with what it had
    /// (possibly nothing) and the fetch goes on filling the cache for the next Tab.
    /// </summary>
    internal sealed class CompletionCache
    {
        private static readonly TimeSpan FreshFor = TimeSpan.FromSeconds(30);
        private readonly ConcurrentDictionary<string, Entry> _entries = new ConcurrentDictionary<string, Entry>(StringComparer.Ordinal);

        public IReadOnlyList<CompletionItem> Get(string key, Func<CancellationToken, Task<IReadOnlyList<CompletionItem>>> fetch, TimeSpan budget)
        {
            var entry = _entries.AddOrUpdate(
                key,
                _ => Entry.Start(fetch, Array.Empty<CompletionItem>()),
                (_, existing) => existing.IsFresh || !existing.Fetch.IsCompleted ? existing : Entry.Start(fetch, existing.Latest));
            if (!entry.Fetch.IsCompleted)
            {
                // The one place completion waits: bounded, so the prompt never hangs on the network.
                Task.WhenAny(entry.Fetch, Task.Delay(budget)).GetAwaiter().GetResult();
            }

            return entry.Latest;
        }

        /// <summary>Forgets everything, e.g. after a deployment was created or removed.</summary>
        public void Clear() => _entries.Clear();

        private sealed class Entry
        {
            private IReadOnlyList<CompletionItem> _latest;
            private DateTime _fetchedAt = DateTime.MinValue;

            private Entry(IReadOnlyList<CompletionItem> previous)
            {
                _latest = previous;
                Fetch = Task.CompletedTask;
            }

            public Task Fetch { get; private set; }

            public IReadOnlyList<CompletionItem> Latest => Volatile.Read(ref _latest);

            public bool IsFresh => DateTime.UtcNow - _fetchedAt < FreshFor;

            public static Entry Start(Func<CancellationToken, Task<IReadOnlyList<CompletionItem>>> fetch, IReadOnlyList<CompletionItem> previous)
            {
                var entry = new Entry(previous);
                entry.Fetch = Task.Run(async () =>
                {
                    using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    try
                    {
                        Volatile.Write(ref entry._latest, await fetch(limit.Token).ConfigureAwait(false));
                        entry._fetchedAt = DateTime.UtcNow;
                    }
                    catch (Exception)
                    {
                        // Completion is best effort: an unreachable API just completes nothing.
                    }
                });
                return entry;
            }
        }
    }
}
