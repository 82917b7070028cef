using System;
using System.Management.Automation;
using System.Net;
using Kernel.PowerShell.Api;
using Kernel.PowerShell.Packaging;

namespace Kernel.PowerShell.Cmdlets
{
    /// <summary>
    /// Every ErrorId the module writes, and how core exceptions become ErrorRecords. ErrorIds are public API:
    /// scripts match on them (<c>$_.FullyQualifiedErrorId -like 'ApiUnauthorized,*'</c>), so never rename one.
    /// </summary>
    internal static class ErrorCatalog
    {
        public const string NotConnected = "NotConnected";
        public const string NoApiKey = "NoApiKey";
        public const string InvalidBaseUri = "InvalidBaseUri";
        public const string SessionClosed = "SessionClosed";
        public const string NotFileSystemPath = "NotFileSystemPath";
        public const string AmbiguousPath = "AmbiguousPath";
        public const string InvalidEnvVarName = "InvalidEnvVarName";
        public const string DeploymentFailed = "DeploymentFailed";
        public const string DeploymentStreamError = "DeploymentStreamError";
        public const string DeploymentWaitTimeout = "DeploymentWaitTimeout";
        public const string InvalidTimeout = "InvalidTimeout";
        public const string InvocationFailed = "InvocationFailed";
        public const string InvocationStreamError = "InvocationStreamError";
        public const string InvocationWaitTimeout = "InvocationWaitTimeout";
        public const string InvalidPayload = "InvalidPayload";
        public const string InvalidEnvFile = "InvalidEnvFile";
        public const string VerifyFailed = "VerifyFailed";
        public const string InvalidGitHubUrl = "InvalidGitHubUrl";
        public const string DeploymentNotCreated = "DeploymentNotCreated";
        public const string InsecureHttp = "InsecureHttp";
        public const string DeploymentUnconfirmed = "DeploymentUnconfirmed";
        public const string ApiUnreachable = "ApiUnreachable";
        public const string ApiTimeout = "ApiTimeout";
        public const string ApiProtocolError = "ApiProtocolError";
        public const string EmulatorNotFound = "EmulatorNotFound";
        public const string EmulatorStartFailed = "EmulatorStartFailed";
        public const string NameNotFound = "NameNotFound";
        public const string AmbiguousName = "AmbiguousName";
        public const string DownloadNotReady = "DownloadNotReady";
        public const string DestinationExists = "DestinationExists";
        public const string InvalidDestination = "InvalidDestination";
        public const string InvalidProxySettings = "InvalidProxySettings";
        public const string InvalidBrowserSettings = "InvalidBrowserSettings";
        public const string NoEmulator = "NoEmulator";
        public const string AppWithoutDeployment = "AppWithoutDeployment";
        public const string InvocationAlreadyFinished = "InvocationAlreadyFinished";
        public const string AsyncOnly = "AsyncOnly";
        public const string ConflictingParameters = "ConflictingParameters";
        public const string InvalidProxy = "InvalidProxy";
        public const string InvalidProject = "InvalidProject";
        public const string ProxyAuthenticationRequired = "ProxyAuthenticationRequired";

        public static ErrorRecord FromException(Exception exception, object? target)
        {
            switch (exception)
            {
                case KernelObjectNotFoundException notFound:
                    var missing = new ErrorRecord(notFound, notFound.ByName ? NameNotFound : ApiErrorId(HttpStatusCode.NotFound), ErrorCategory.ObjectNotFound, notFound.Reference);
                    if (notFound.InnerException is KernelApiException answer)
                    {
                        // As for any 404: what was not found, then what the API said.
                        missing.ErrorDetails = new ErrorDetails($"{notFound.Message.TrimEnd('.')}: {answer.Message}");
                    }

                    return missing;
                case KernelAmbiguousNameException ambiguous:
                    return new ErrorRecord(ambiguous, AmbiguousName, ErrorCategory.InvalidArgument, ambiguous.Name);
                case KernelNotReadyException notReady:
                    return new ErrorRecord(notReady, DownloadNotReady, ErrorCategory.OperationTimeout, target);
                case KernelApiException api:
                    var record = new ErrorRecord(api, ApiErrorId(api.StatusCode), ApiCategory(api.StatusCode), target);
                    if ((int)api.StatusCode == 404 && Subject(api.Path) is { } subject)
                    {
                        record.ErrorDetails = new ErrorDetails($"{subject} was not found: {api.Message}");
                    }

                    return record;
                case DeploymentNotCreatedException notCreated:
                    return new ErrorRecord(notCreated, notCreated.Certain ? DeploymentNotCreated : DeploymentUnconfirmed, ErrorCategory.ConnectionError, target);
                case KernelProxyAuthenticationException proxy:
                    return ProxyFailure(proxy, target);
                case KernelConnectionException connection:
                    return new ErrorRecord(connection, ApiUnreachable, ErrorCategory.ConnectionError, target);
                case TimeoutException timeout:
                    return new ErrorRecord(timeout, ApiTimeout, ErrorCategory.OperationTimeout, target);
                case KernelProtocolException protocol:
                    return new ErrorRecord(protocol, ApiProtocolError, ErrorCategory.ProtocolError, target);
                case PackagingException packaging:
                    return new ErrorRecord(packaging, packaging.Failure.ToString(), PackagingCategory(packaging.Failure), packaging.Target);
                case ObjectDisposedException closed:
                    return new ErrorRecord(new InvalidOperationException(closed.Message, closed), SessionClosed, ErrorCategory.ResourceUnavailable, target);
                default:
                    return new ErrorRecord(exception, exception.GetType().Name, ErrorCategory.NotSpecified, target);
            }
        }

        /// <summary>A 407, with the Connect-Kernel parameters that fix it in the message and the RecommendedAction.</summary>
        private static ErrorRecord ProxyFailure(KernelProxyAuthenticationException proxy, object? target)
        {
            var command = $"Connect-Kernel{(proxy.Proxy == null ? string.Empty : " -Proxy " + proxy.Proxy)} -ProxyCredential (Get-Credential)";
            var fix = proxy.CredentialsGiven
                ? $"Check the proxy credentials and connect again: {command}"
                : $"Connect with credentials for the proxy: {command}, or -ProxyUseDefaultCredentials for Windows' integrated authentication";
            return new ErrorRecord(proxy, ProxyAuthenticationRequired, ErrorCategory.AuthenticationError, (object?)proxy.Proxy ?? target)
            {
                ErrorDetails = new ErrorDetails($"{proxy.Message} {fix}.") { RecommendedAction = fix + "." },
            };
        }

        /// <summary>True when trying again cannot help: the API refused the request itself (4xx other than 408 and 429).</summary>
        public static bool IsPermanent(Exception exception) =>
            exception is KernelObjectNotFoundException || exception is KernelAmbiguousNameException
            || (exception is KernelApiException api && (int)api.StatusCode >= 400 && (int)api.StatusCode < 500 && (int)api.StatusCode != 408 && (int)api.StatusCode != 429);

        /// <summary>What a request path names, for messages: "/deployments/abc/events" is deployment 'abc'.</summary>
        private static string? Subject(string path)
        {
            var segments = path.Trim('/').Split('/');
            if (segments.Length < 2)
            {
                return null;
            }

            var id = Uri.UnescapeDataString(segments[1]);
            return segments[0] switch
            {
                "deployments" => $"Deployment '{id}'",
                "invocations" => $"Invocation '{id}'",
                _ => null,
            };
        }

        public static ErrorRecord Create(string errorId, ErrorCategory category, object? target, string message, Exception? inner = null) =>
            new ErrorRecord(new InvalidOperationException(message, inner), errorId, category, target);

        internal static string ApiErrorId(HttpStatusCode status)
        {
            var code = (int)status;
            return code switch
            {
                400 => "ApiBadRequest",
                401 => "ApiUnauthorized",
                403 => "ApiForbidden",
                404 => "ApiNotFound",
                408 => "ApiRequestTimeout",
                409 => "ApiConflict",
                422 => "ApiUnprocessable",
                429 => "ApiRateLimited",
                _ when code >= 500 => "ApiServerError",
                _ => "ApiError",
            };
        }

        internal static ErrorCategory ApiCategory(HttpStatusCode status)
        {
            var code = (int)status;
            return code switch
            {
                400 => ErrorCategory.InvalidArgument,
                401 => ErrorCategory.AuthenticationError,
                403 => ErrorCategory.PermissionDenied,
                404 => ErrorCategory.ObjectNotFound,
                408 => ErrorCategory.OperationTimeout,
                409 => ErrorCategory.ResourceExists,
                422 => ErrorCategory.InvalidData,
                429 => ErrorCategory.LimitsExceeded,
                504 => ErrorCategory.OperationTimeout,
                _ when code >= 500 => ErrorCategory.ResourceUnavailable,
                _ => ErrorCategory.NotSpecified,
            };
        }

        private static ErrorCategory PackagingCategory(PackagingFailure failure) => failure switch
        {
            PackagingFailure.PathNotFound => ErrorCategory.ObjectNotFound,
            PackagingFailure.EntrypointNotFound => ErrorCategory.ObjectNotFound,
            PackagingFailure.EmptyFolder => ErrorCategory.InvalidData,
            PackagingFailure.FileUnreadable => ErrorCategory.ReadError,
            PackagingFailure.ArchiveTooLarge => ErrorCategory.LimitsExceeded,
            PackagingFailure.InvalidArchive => ErrorCategory.InvalidData,
            _ => ErrorCategory.InvalidArgument,
        };
    }
}
