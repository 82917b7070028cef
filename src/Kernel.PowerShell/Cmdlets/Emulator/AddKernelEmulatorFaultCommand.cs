using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Text;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>Add-KernelEmulatorFault: makes the emulator fail the requests that match, on purpose.</summary>
    [Cmdlet(VerbsCommon.Add, "KernelEmulatorFault", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(KernelEmulatorFault))]
    public sealed class AddKernelEmulatorFaultCommand : EmulatorControlCmdlet
    {
        /// <summary>The API paths it hits, such as /deployments or /deployments/*/events: * is one segment, ** any number.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = null!;

        /// <summary>The HTTP method it hits; by default any.</summary>
        [Parameter]
        [ValidateSet("GET", "POST", "PUT", "PATCH", "DELETE")]
        public string? Method { get; set; }

        /// <summary>What it does; Status (an error answer) by default.</summary>
        [Parameter]
        public KernelEmulatorFaultKind Kind { get; set; } = KernelEmulatorFaultKind.Status;

        /// <summary>For -Kind Status: the status to answer with (default 500).</summary>
        [Parameter]
        [ValidateRange(400, 599)]
        public int StatusCode { get; set; } = 500;

        /// <summary>For -Kind Status and ErrorEvent: the error's code (by default the status's usual one, e.g. internal_error).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Code { get; set; }

        /// <summary>For -Kind Status and ErrorEvent: the error's message (default "injected fault").</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string? Message { get; set; }

        /// <summary>For -Kind Status and ErrorEvent: the error's details[], as hashtables with code and message.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public System.Collections.Hashtable[]? Detail { get; set; }

        /// <summary>For -Kind Status and ErrorEvent: the error's inner_error, a hashtable with code and message.</summary>
        [Parameter]
        [ValidateNotNull]
        public System.Collections.Hashtable? InnerError { get; set; }

        /// <summary>For -Kind Status: a Retry-After to send, in whole seconds.</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan? RetryAfter { get; set; }

        /// <summary>How long to wait before acting (the whole fault for -Kind Delay and DelayAnswer).</summary>
        [Parameter]
        [TimeSpanArgument]
        public TimeSpan? Delay { get; set; }

        /// <summary>For -Kind CutStream, ErrorEvent and MalformedJson on event streams: how many events go out intact first.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int? AfterEvents { get; set; }

        /// <summary>How many matching requests it hits (default 1); 0 means every one until Clear-KernelEmulatorFault.</summary>
        [Parameter]
        [ValidateRange(0, int.MaxValue)]
        public int Times { get; set; } = 1;

        /// <summary>Write the fault as the emulator recorded it.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            if ((Kind == KernelEmulatorFaultKind.Delay || Kind == KernelEmulatorFaultKind.DelayAnswer || Kind == KernelEmulatorFaultKind.StallMidBody) && !(Delay > TimeSpan.Zero))
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidTimeout, ErrorCategory.InvalidArgument, Delay, $"-Kind {Kind} needs a positive -Delay."));
            }

            if (Delay < TimeSpan.Zero || RetryAfter < TimeSpan.Zero)
            {
                ThrowTerminatingError(ErrorCatalog.Create(ErrorCatalog.InvalidTimeout, ErrorCategory.InvalidArgument, Delay ?? RetryAfter, "-Delay and -RetryAfter cannot be negative."));
            }
        }

        protected override void ProcessRecord()
        {
            var emulator = ResolveEmulator();
            var times = Times == 0 ? "every request until cleared" : Times == 1 ? "the next request" : $"the next {Times} requests";
            if (!ShouldProcess($"{Method ?? "any method"} {Path} on {emulator.BaseUri}", $"Add a {Kind} fault for {times}"))
            {
                return;
            }

            var rule = new List<KeyValuePair<string, object?>>
            {
                Field("method", Method),
                Field("path", Path),
                Field("kind", SnakeCase(Kind.ToString())),
                Field("times", Times),
            };
            if (Kind == KernelEmulatorFaultKind.Status)
            {
                rule.Add(Field("status", StatusCode));
                rule.Add(Field("retry_after", RetryAfter.HasValue ? (int?)Math.Ceiling(RetryAfter.Value.TotalSeconds) : null));
            }

            if (Kind == KernelEmulatorFaultKind.Status || Kind == KernelEmulatorFaultKind.ErrorEvent)
            {
                rule.Add(Field("code", Code));
                rule.Add(Field("message", Message));
                rule.Add(Field("details", Detail));
                rule.Add(Field("inner_error", InnerError));
            }

            rule.Add(Field("delay_ms", Delay.HasValue ? (long?)Delay.Value.TotalMilliseconds : null));
            rule.Add(Field("after_events", AfterEvents));
            var added = Query("Adding a fault to the Kernel emulator", (control, token) => control.AddFaultAsync(rule, token));
            if (added != null && PassThru)
            {
                WriteObject(added);
            }
        }

        private static KeyValuePair<string, object?> Field(string name, object? value) => new KeyValuePair<string, object?>(name, value);

        private static string SnakeCase(string name)
        {
            var text = new StringBuilder();
            foreach (var c in name)
            {
                if (char.IsUpper(c) && text.Length > 0)
                {
                    text.Append('_');
                }

                text.Append(char.ToLower(c, CultureInfo.InvariantCulture));
            }

            return text.ToString();
        }
    }
}
