namespace Kernel.PowerShell.Api
{
    internal sealed class ApiErrorBody
    {
        public ApiErrorBody(string code, string message)
        {
            Code = code;
            Message = message;
        }

        public string Code { get; }

        public string Message { get; }

        public override string ToString() => string.IsNullOrEmpty(Message) ? Code : Code + ": " + Message;
    }

    internal static class KernelRegions
    {
        public const string Default = "aws.us-east-1a";
    }
}
