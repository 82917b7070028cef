using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Diagnostics;
using Kernel.PowerShell.Session;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Moves every command shares: objects by id, lists by name and filters over every page, -First/-Skip over
    /// what it writes, and confirmation that -Force can skip.
    /// </summary>
    public abstract partial class KernelSessionCmdlet
    {
        /// <summary>
        /// Writes the object each id names, one request each; one error per id that fails, naming it. -Skip/-First
        /// pick from the ids. <paramref name="complete"/>, when given, prepares (once per command) what fills in each object before it is written.
        /// </summary>
        internal void WriteById<T>(ApiResource<T> resource, IEnumerable<string> ids, Query query, Completion<T>? complete = null)
            where T : class
        {
            var client = ResolveClient();
            foreach (var id in ids)
            {
                if (Window.Full)
                {
                    return;
                }

                if (!Window.Take())
                {
                    continue;
                }

                try
                {
                    WriteObject(Run($"Getting {resource.Noun} {id}", async (observer, token) =>
                    {
                        var item = await client.GetAsync(resource, id, query, observer, token).ConfigureAwait(false);
                        return complete == null ? item : (await complete(observer, token).ConfigureAwait(false))(item);
                    }));
                }
                catch (Exception ex) when (IsFailure(ex))
                {
                    WriteFailure(ex, id);
                }
            }
        }

        /// <summary>
        /// Writes every object of the listing over all pages, in the API's order: with <paramref name="names"/>,
        /// those whose names match (a literal name that no object has, other filters aside, is an ObjectNotFound
        /// error naming it; a wildcard is not); with <paramref name="keep"/>, those it keeps. Without either,
        /// -Skip/-First go to the API as offset and limit. <paramref name="complete"/> as for <see cref="WriteById{T}"/>.
        /// </summary>
        internal void WriteList<T>(ApiResource<T> resource, Query filter, IReadOnlyList<string>? names, Func<T, bool>? keep = null, Completion<T>? complete = null)
            where T : class
        {
            var client = ResolveClient();
            var activity = $"Listing {resource.Plural}";
            if (names == null && keep == null)
            {
                TryWrite(() => WritePaged<T>(activity, async (skip, first, emit, observer, token) =>
                {
                    var fill = complete == null ? null : await complete(observer, token).ConfigureAwait(false);
                    await client.ListAsync(resource, filter, skip, first, item => emit(fill == null ? item : fill(item)), observer, token).ConfigureAwait(false);
                }));
                return;
            }

            WriteTotalCount();
            IReadOnlyList<string> missing = Array.Empty<string>();
            TryWrite(() => RunStreaming<T>(activity, async (observer, emit, token) =>
            {
                var fill = complete == null ? null : await complete(observer, token).ConfigureAwait(false);
                bool Offer(T item) => (keep != null && !keep(item)) || (Window.Take() ? emit(fill == null ? item : fill(item)) : !Window.Full);
                if (names == null)
                {
                    await client.ListAsync(resource, filter, 0, long.MaxValue, Offer, observer, token).ConfigureAwait(false);
                }
                else
                {
                    missing = await client.ListNamedAsync(resource, names, filter, Offer, observer, token).ConfigureAwait(false);
                    if (!filter.IsEmpty)
                    {
                        // Nothing matched the other filters too: the name is unknown only if nothing at all has it.
                        var unknown = new List<string>();
                        foreach (var name in missing)
                        {
                            unknown.AddRange(await client.ListNamedAsync(resource, new[] { name }, new Query(), _ => false, observer, token).ConfigureAwait(false));
                        }

                        missing = unknown;
                    }
                }
            }));
            foreach (var name in missing)
            {
                WriteFailure(resource.NameNotFound(name), name);
            }
        }

        /// <summary>
        /// Creates one object (a browser, a pool, an extension) off the pipeline thread, clears the session's
        /// completion cache, says on Verbose what <paramref name="made"/> describes, and writes the object; a
        /// failure is an error about <paramref name="target"/>.
        /// </summary>
        internal void WriteCreated<T>(KernelSession session, string activity, object? target, Func<IOperationObserver, CancellationToken, Task<T>> create, Func<T, string> made)
        {
            try
            {
                var created = Run(activity, create);
                session.Completions.Clear();
                WriteVerbose(made(created));
                WriteObject(created);
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                WriteFailure(ex, target);
            }
        }

        private void TryWrite(Action write)
        {
            try
            {
                write();
            }
            catch (Exception ex) when (IsFailure(ex))
            {
                WriteFailure(ex, null);
            }
        }

        private PagingWindow? _window;

        /// <summary>
        /// -First and -Skip (SupportsPaging) over everything the command writes, in every parameter set and across
        /// pipeline input: with -Id they pick from the ids given, in order; with a list, from the matches.
        /// </summary>
        internal PagingWindow Window => _window ??= new PagingWindow(PagingParameters);

        /// <summary>
        /// ShouldProcess, except that -Force skips the question: -WhatIf (given or inherited) still only reports,
        /// and an explicit -Confirm still asks.
        /// </summary>
        internal bool ShouldChange(string target, string action, bool force) =>
            (force && !WhatIfInEffect && !ConfirmAsked) || ShouldProcess(target, action);
    }

    /// <summary>
    /// Prepares, off the pipeline thread, what completes each object of a resource before it is written (for instance
    /// the app a deployment serves, which the deployment does not carry).
    /// </summary>
    internal delegate Task<Func<T, T>> Completion<T>(IOperationObserver observer, CancellationToken cancellationToken);

    /// <summary>What is left of a -Skip/-First window; counts are kept across ProcessRecord calls.</summary>
    internal sealed class PagingWindow
    {
        private long _skip;
        private long _left;

        public PagingWindow(PagingParameters? paging)
        {
            _skip = paging == null ? 0 : (long)Math.Min(paging.Skip, long.MaxValue);
            _left = paging == null ? long.MaxValue : (long)Math.Min(paging.First, long.MaxValue);
        }

        /// <summary>True once -First items went out: nothing more is wanted.</summary>
        public bool Full => _left <= 0;

        /// <summary>Whether the next item goes out (false while skipping, and once full).</summary>
        public bool Take()
        {
            if (_left <= 0)
            {
                return false;
            }

            if (_skip > 0)
            {
                _skip--;
                return false;
            }

            _left--;
            return true;
        }

        /// <summary>Hands the whole window to a server-side listing (offset and limit), which then owns it.</summary>
        public (long Skip, long First) HandOver()
        {
            var window = (_skip, _left);
            _skip = 0;
            _left = 0;
            return window;
        }
    }
}
