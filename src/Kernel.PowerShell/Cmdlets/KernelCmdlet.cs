using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Kernel.PowerShell.Diagnostics;
using Kernel.PowerShell.Session;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Base of every cmdlet: Ctrl+C cancels a token that reaches every request, copy and delay, and
    /// <see cref="Run{T}"/> is the one place where async work meets the pipeline thread.
    /// </summary>
    public abstract class KernelCmdlet : PSCmdlet, IDisposable
    {
        /// <summary>How long an operation abandoned by its pipeline gets to notice its cancellation and end.</summary>
        private static readonly TimeSpan AbandonBound = TimeSpan.FromSeconds(2);

        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        public void Dispose()
        {
            // PowerShell disposes a command when its pipeline ends, however it ends: nothing of it may run on.
            _stopping.Cancel();
            _stopping.Dispose();
            GC.SuppressFinalize(this);
        }

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>
        /// Runs <paramref name="operation"/> off the pipeline thread while this thread writes what it reports
        /// (verbose, debug, warnings, logs, throttled progress). Returns its result or rethrows its exception;
        /// after Ctrl+C it ends the pipeline.
        /// </summary>
        internal T Run<T>(string activity, Func<IOperationObserver, CancellationToken, Task<T>> operation)
        {
            Task<T>? running = null;
            RunOperation(activity, (pump, token) => running = operation(pump, token));
            return running!.GetAwaiter().GetResult();
        }

        /// <summary>
        /// Like <see cref="Run{T}"/> for operations that produce many objects: each one passed to the emit
        /// callback is written to the pipeline as it comes. The callback returns false once the pipeline needs no more.
        /// </summary>
        internal void RunStreaming<T>(string activity, Func<IOperationObserver, Func<T, bool>, CancellationToken, Task> operation) =>
            RunOperation(activity, (pump, token) => operation(pump, item => pump.Emit(item), token));

        /// <summary>
        /// The one sync boundary. When the pipeline thread leaves early (a downstream Select-Object -First, a
        /// Write* that throws under -WarningAction Stop, Ctrl+C), the operation is cancelled and given a bounded
        /// time to end, so no stream, poll or upload outlives the command.
        /// </summary>
        private void RunOperation(string activity, Func<PipelinePump, CancellationToken, Task> operation)
        {
            using var pump = new PipelinePump(this, activity);
            using var operationEnd = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            var task = Task.Run(() => operation(pump, operationEnd.Token), operationEnd.Token);
            try
            {
                try
                {
                    pump.DrainUntil(task);
                }
                catch
                {
                    Abandon(task, operationEnd, pump);
                    throw;
                }

                task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
            finally
            {
                pump.CompleteProgress();
            }
        }

        private static void Abandon(Task task, CancellationTokenSource operationEnd, PipelinePump pump)
        {
            pump.Close();
            operationEnd.Cancel();
            try
            {
                task.Wait(AbandonBound);
            }
            catch (AggregateException)
            {
                // Its end is of no interest any more; only that it ended.
            }
        }

        /// <summary>True when Ctrl+C (or Stop) has been requested.</summary>
        internal bool IsStopping => _stopping.IsCancellationRequested;

        /// <summary>
        /// False for what PowerShell itself throws to end or stop a command (Ctrl+C, Select-Object -First, a
        /// preference set to Stop): those must pass through, never become one of our errors.
        /// </summary>
        internal static bool IsFailure(Exception exception) =>
            !(exception is PipelineStoppedException) && !(exception is ActionPreferenceStopException);

        /// <summary>
        /// Writes a verbose message, except that under -Debug without -Verbose it goes to the Debug stream:
        /// PowerShell 7 still turns -Debug into VerbosePreference Inquire for compiled cmdlets, which would stop
        /// to ask after every verbose line (and fail outright in a non-interactive host).
        /// </summary>
        public new void WriteVerbose(string text)
        {
            if (DebugSwitchOnly)
            {
                base.WriteDebug(text);
            }
            else
            {
                base.WriteVerbose(text);
            }
        }

        private bool DebugSwitchOnly =>
            MyInvocation.BoundParameters.TryGetValue("Debug", out var debug) && LanguagePrimitives.IsTrue(debug)
            && !MyInvocation.BoundParameters.ContainsKey("Verbose");

        /// <summary>
        /// Writes an Information record that the host shows by default, as it shows Write-Host's. Both PowerShell 7
        /// and Windows PowerShell 5.1 (MshCommandRuntime.WriteInformation) display a record tagged PSHOST whatever
        /// InformationPreference says (its default is SilentlyContinue), unless the stream is redirected: then 6>
        /// and -InformationVariable capture it like any other record, and -InformationAction Ignore drops it. One
        /// thing differs from Write-Host: -InformationAction SilentlyContinue given to this command leaves the PSHOST
        /// tag off, so the record is still captured but not shown. The host prints <paramref name="message"/>'s
        /// ToString(); scripts get the object itself in MessageData.
        /// </summary>
        internal void WriteHostInformation(object message, string tag) =>
            WriteInformation(message, InformationSilenced ? new[] { tag } : new[] { tag, HostTag });

        private const string HostTag = "PSHOST";

        private bool InformationSilenced =>
            MyInvocation.BoundParameters.TryGetValue("InformationAction", out var given)
            && LanguagePrimitives.TryConvertTo<ActionPreference>(given, out var action)
            && action == ActionPreference.SilentlyContinue;

        /// <summary>True when an error of this command stops the script: -ErrorAction Stop, or $ErrorActionPreference 'Stop'.</summary>
        internal bool ErrorActionIsStop =>
            (MyInvocation.BoundParameters.TryGetValue("ErrorAction", out var given) ? given : GetVariableValue("ErrorActionPreference")) is { } preference
            && LanguagePrimitives.TryConvertTo<ActionPreference>(preference, out var action)
            && action == ActionPreference.Stop;

        /// <summary>-WhatIf on this command, or inherited from a caller ($WhatIfPreference): ShouldProcess must decide.</summary>
        internal bool WhatIfInEffect =>
            MyInvocation.BoundParameters.TryGetValue("WhatIf", out var given) ? LanguagePrimitives.IsTrue(given) : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

        /// <summary>-Confirm given on this command: the user wants to be asked, -Force or not.</summary>
        internal bool ConfirmAsked =>
            MyInvocation.BoundParameters.TryGetValue("Confirm", out var given) && LanguagePrimitives.IsTrue(given);

        /// <summary>Stops the cmdlet unless a time span parameter is positive.</summary>
        internal void RequirePositive(TimeSpan value, string parameter)
        {
            if (value <= TimeSpan.Zero)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidTimeout, ErrorCategory.InvalidArgument, value, $"-{parameter} must be positive, not {value}."));
            }
        }

        /// <summary>
        /// Says something straight to the host, for use while the pipeline stops, when the Write* methods are no
        /// longer allowed. Called on the pipeline thread only. Silently does nothing on a host without a UI.
        /// </summary>
        internal void TellHost(string message)
        {
            try
            {
                Host?.UI?.WriteWarningLine(message);
            }
            catch (Exception ex) when (ex is System.Management.Automation.Host.HostException || ex is NotImplementedException || ex is InvalidOperationException)
            {
                // A host with no way to show it; nothing else can be done while the pipeline stops.
            }
        }

        /// <summary>
        /// The runspace's default session; without one, the session KERNEL_API_KEY, KERNEL_BASE_URL and KERNEL_PROJECT
        /// describe, made (unverified) and stored as the default, so CI needs no Connect-Kernel. Null when there is
        /// neither; terminates when the variables name an endpoint that cannot be used.
        /// </summary>
        internal KernelSession? DefaultSession()
        {
            if (SessionStore.Default is { } session)
            {
                return session;
            }

            session = WithSettingsChecked(SessionStore.FromEnvironment, null);
            if (session != null)
            {
                SessionStore.Default = session;
                WriteVerbose($"Not connected: made this runspace's default session from the environment: {session.BaseUri} with the key from the {session.ApiKeySource}"
                    + (session.Project == null ? string.Empty : $", project '{session.Project}' from the {session.ProjectSource}")
                    + ". Not verified yet: its first call will tell (Connect-Kernel checks the key at once).");
            }

            return session;
        }

        /// <summary>
        /// Runs <paramref name="resolve"/>, which reads a session's endpoint or project, and stops the command when the
        /// endpoint is not an absolute http(s) URI (InvalidBaseUri) or would carry the key in clear text
        /// (InsecureHttp), or the project cannot be sent (InvalidProject).
        /// </summary>
        internal T WithSettingsChecked<T>(Func<T> resolve, object? target)
        {
            try
            {
                return resolve();
            }
            catch (InvalidProjectException ex)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidProject, ErrorCategory.InvalidArgument, target, ex.Message, ex));
                throw;
            }
            catch (ArgumentException ex)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidBaseUri, ErrorCategory.InvalidArgument, target, ex.Message, ex));
                throw;
            }
            catch (InsecureTransportException ex)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InsecureHttp, ErrorCategory.SecurityError, target, ex.Message, ex));
                throw;
            }
        }

        /// <summary>The ErrorRecord for an exception from the core.</summary>
        internal virtual ErrorRecord Failure(Exception exception, object? target) => ErrorCatalog.FromException(exception, target);

        /// <summary>Writes a non-terminating error for an exception from the core.</summary>
        internal void WriteFailure(Exception exception, object? target) => WriteError(Failure(exception, target));

        /// <summary>Stops the cmdlet with a terminating error for an exception from the core.</summary>
        internal void ThrowFailure(Exception exception, object? target) => ThrowTerminatingError(Failure(exception, target));

        /// <summary>
        /// An error while following, or after creating, something that goes on on Kernel without us: the message
        /// names it, and unless the error says it is gone or refused for good, the command that takes up where this
        /// one stopped (also the RecommendedAction).
        /// </summary>
        internal void WriteResumable(Exception exception, object? target, string what, string resume)
        {
            var record = Failure(exception, target);
            var message = $"{what}: {(record.ErrorDetails?.Message ?? exception.Message).TrimEnd('.')}.";
            record.ErrorDetails = ErrorCatalog.IsPermanent(exception)
                ? new ErrorDetails(message) { RecommendedAction = record.ErrorDetails?.RecommendedAction }
                : new ErrorDetails($"{message} Take it up again with: {resume}") { RecommendedAction = resume };
            WriteError(record);
        }
    }
}
