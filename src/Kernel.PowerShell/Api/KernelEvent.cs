namespace Kernel.PowerShell.Api
{
    /// <summary>
    /// One message of a deployment or invocation event stream (kernel-api.md §5), dispatched on its JSON
    /// <c>event</c> field. Unknown kinds are kept as <see cref="Unknown"/>, never an error.
    /// </summary>
    internal abstract class KernelEvent
    {
        /// <param name="ownerId">The deployment or invocation the stream belongs to.</param>
        public static KernelEvent Parse(string ownerId, string data) => WireFormat.Current.ParseEvent(ownerId, data);

        internal sealed class Log : KernelEvent
        {
            public Log(KernelLogEntry entry) => Entry = entry;

            public KernelLogEntry Entry { get; }
        }

        internal sealed class DeploymentState : KernelEvent
        {
            public DeploymentState(KernelDeployment deployment) => Deployment = deployment;

            public KernelDeployment Deployment { get; }
        }

        internal sealed class InvocationState : KernelEvent
        {
            public InvocationState(KernelInvocation invocation) => Invocation = invocation;

            public KernelInvocation Invocation { get; }
        }

        internal sealed class AppVersionSummary : KernelEvent
        {
            public AppVersionSummary(KernelApp app) => App = app;

            public KernelApp App { get; }
        }

        internal sealed class Error : KernelEvent
        {
            public Error(ApiErrorBody body) => Body = body;

            public ApiErrorBody Body { get; }
        }

        internal sealed class Heartbeat : KernelEvent
        {
            public static readonly Heartbeat Instance = new Heartbeat();
        }

        internal sealed class Unknown : KernelEvent
        {
            public Unknown(string kind) => Kind = kind;

            public string Kind { get; }
        }
    }
}
