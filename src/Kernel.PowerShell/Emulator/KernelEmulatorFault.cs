using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Kernel.PowerShell
{
    /// <summary>What a fault does to the requests it hits (see Add-KernelEmulatorFault).</summary>
    public enum KernelEmulatorFaultKind
    {
        /// <summary>Answer with an error status and Kernel's error body (with Retry-After when given).</summary>
        Status,

        /// <summary>Close the connection without an answer.</summary>
        Drop,

        /// <summary>Send the headers and half the body, then close the connection.</summary>
        DropMidBody,

        /// <summary>Answer 200 with a body that is not JSON; on an event stream, garble one event.</summary>
        MalformedJson,

        /// <summary>On an event stream: close it after a number of events.</summary>
        CutStream,

        /// <summary>Wait, then answer normally.</summary>
        Delay,

        /// <summary>Do the work, then hold the answer back (a slow or lost answer).</summary>
        DelayAnswer,

        /// <summary>On an event stream: after a number of events, send an error event, then end the stream.</summary>
        ErrorEvent,

        /// <summary>Send the headers and half the body, then go silent for the fault's delay before closing (a stalled download).</summary>
        StallMidBody,
    }

    /// <summary>A fault the emulator applies to the requests that match it.</summary>
    public sealed class KernelEmulatorFault
    {
        /// <summary>Builds a fault from a hashtable, for tests and mocks: <c>[KernelEmulatorFault]@{ Path = '/deployments' }</c>.</summary>
        public KernelEmulatorFault(IDictionary properties)
        {
            var given = new ModelProperties(properties, typeof(KernelEmulatorFault));
            Path = given.Required<string>(nameof(Path));
            Id = given.Optional(nameof(Id), string.Empty);
            Method = given.Optional<string?>(nameof(Method), null);
            Kind = given.Optional(nameof(Kind), KernelEmulatorFaultKind.Status);
            StatusCode = given.Optional<int?>(nameof(StatusCode), null);
            Code = given.Optional<string?>(nameof(Code), null);
            Message = given.Optional<string?>(nameof(Message), null);
            Details = given.List<string>(nameof(Details));
            InnerError = given.Optional<string?>(nameof(InnerError), null);
            RetryAfter = given.Optional<TimeSpan?>(nameof(RetryAfter), null);
            Delay = given.Optional<TimeSpan?>(nameof(Delay), null);
            AfterEvents = given.Optional<int?>(nameof(AfterEvents), null);
            Times = given.Optional(nameof(Times), 1);
            given.RequireNoOthers();
        }

        public string Id { get; }

        /// <summary>The HTTP method it hits; null for any.</summary>
        public string? Method { get; }

        /// <summary>The paths it hits: * is one path segment, ** any number.</summary>
        public string Path { get; }

        public KernelEmulatorFaultKind Kind { get; }

        /// <summary>The status a Status fault answers with.</summary>
        public int? StatusCode { get; }

        /// <summary>The error's code, for a Status or ErrorEvent fault.</summary>
        public string? Code { get; }

        /// <summary>The error's message, for a Status or ErrorEvent fault.</summary>
        public string? Message { get; }

        /// <summary>The error's details[], each as "code: message", for a Status or ErrorEvent fault.</summary>
        public IReadOnlyList<string> Details { get; }

        /// <summary>The error's inner_error as "code: message", for a Status or ErrorEvent fault.</summary>
        public string? InnerError { get; }

        /// <summary>The Retry-After a Status fault sends.</summary>
        public TimeSpan? RetryAfter { get; }

        /// <summary>How long it waits before acting (Delay, DelayAnswer, or any kind).</summary>
        public TimeSpan? Delay { get; }

        /// <summary>For stream faults: how many events go out intact first.</summary>
        public int? AfterEvents { get; }

        /// <summary>How many more requests it will hit; 0 means every matching request until cleared.</summary>
        public int Times { get; }

        public override string ToString() => $"{Kind} on {Method ?? "*"} {Path}";

        /// <summary>The emulator's JSON rule (snake_case names, as GET /_emulator/faults sends it).</summary>
        internal static KernelEmulatorFault FromPlain(IDictionary rule)
        {
            var kind = Text(rule["kind"]) ?? "status";
            var delayMs = Number(rule["delay_ms"]);
            var properties = new Hashtable
            {
                [nameof(Id)] = Text(rule["id"]),
                [nameof(Method)] = Text(rule["method"]),
                [nameof(Path)] = Text(rule["path"]),
                [nameof(Kind)] = string.Concat(kind.Split('_').Select(word => word.Length == 0 ? word : char.ToUpperInvariant(word[0]) + word.Substring(1))),
                [nameof(Code)] = Text(rule["code"]),
                [nameof(Message)] = Text(rule["message"]),
                [nameof(Times)] = Number(rule["times"]) ?? 1,
                [nameof(Details)] = (rule["details"] as object?[])?.Select(d => ErrorText(d as IDictionary)).ToArray(),
                [nameof(InnerError)] = ErrorText(rule["inner_error"] as IDictionary),
            };
            if (kind == "status")
            {
                properties[nameof(StatusCode)] = Number(rule["status"]);
            }

            if (Number(rule["retry_after"]) is { } retryAfter)
            {
                properties[nameof(RetryAfter)] = TimeSpan.FromSeconds(retryAfter);
            }

            if (delayMs is { } delay && delay > 0)
            {
                properties[nameof(Delay)] = TimeSpan.FromMilliseconds(delay);
            }

            if (kind == "cut_stream" || kind == "malformed_json" || kind == "error_event")
            {
                properties[nameof(AfterEvents)] = Number(rule["after_events"]);
            }

            return new KernelEmulatorFault(properties);
        }

        private static string? Text(object? value) => value as string;

        private static string? ErrorText(IDictionary? error) =>
            error == null ? null : string.Join(": ", new[] { Text(error["code"]), Text(error["message"]) }.Where(part => !string.IsNullOrEmpty(part)));

        private static int? Number(object? value) => value == null ? (int?)null : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }
}
