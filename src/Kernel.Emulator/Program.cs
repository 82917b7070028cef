using System.Diagnostics;
using System.Text.Json;
using Kernel.Emulator;
using Kernel.Emulator.Apps;
using Kernel.Emulator.Browsers;
using Kernel.Emulator.Control;
using Kernel.Emulator.Deployments;
using Kernel.Emulator.Invocations;
using Kernel.Emulator.Profiles;
using Kernel.Emulator.Proxies;
using Kernel.Emulator.Store;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

var (options, hostArguments) = EmulatorOptions.Parse(args);
if (options.ParentProcessId is not null)
{
    ProcessGroup.LeaveTerminal();
}

var builder = WebApplication.CreateSlimBuilder(hostArguments);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
builder.Services.AddSingleton(options);
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddSingleton<World>();
builder.Services.AddSingleton<Journal>();
builder.Services.AddSingleton<FaultInjection>();
builder.Services.AddSingleton<DeploymentLifecycle>();
builder.Services.AddSingleton<UploadedArchives>();
builder.Services.AddSingleton<InvocationLifecycle>();
builder.Services.AddSingleton<BrowserSessions>();

var app = builder.Build();
var faults = app.Services.GetRequiredService<FaultInjection>();
foreach (var fault in options.Faults)
{
    faults.Add(JsonSerializer.Deserialize<FaultRule>(fault, FaultInjection.JsonOptions) ?? throw new ArgumentException("--fault needs a JSON fault rule"));
}

var journal = app.Services.GetRequiredService<Journal>();
app.Use(async (context, next) =>
{
    try
    {
        await next(context);
    }
    catch (Exception ex) when (!context.Response.HasStarted && ex is not OperationCanceledException)
    {
        app.Logger.LogError(ex, "Unhandled error on {Method} {Path}", context.Request.Method, context.Request.Path);
        await KernelErrors.Answer(StatusCodes.Status500InternalServerError, "internal_error", "emulator error: " + ex.Message).ExecuteAsync(context);
    }
});
var clock = app.Services.GetRequiredService<TimeProvider>();
app.Use(async (context, next) =>
{
    if (AdminRoutes.IsAdmin(context.Request))
    {
        await next(context);
        return;
    }

    var at = clock.GetUtcNow().UtcDateTime;
    try
    {
        await faults.InvokeAsync(context, () => next(context));
    }
    finally
    {
        journal.Record(context, at);
    }
});
app.Use(async (context, next) =>
{
    if (AdminRoutes.IsAdmin(context.Request))
    {
        await next(context);
        return;
    }

    if (!BearerAuth.IsAuthorized(context.Request, options, out var keyProject))
    {
        await KernelErrors.Answer(StatusCodes.Status401Unauthorized, "unauthorized", "Invalid or missing API key").ExecuteAsync(context);
        return;
    }

    if (ProjectScope.Resolve(context, options, keyProject) is { } refusal)
    {
        await refusal.ExecuteAsync(context);
        return;
    }

    await next(context);
});
DeploymentRoutes.Map(app);
AppRoutes.Map(app);
InvocationRoutes.Map(app);
BrowserRoutes.Map(app);
ProfileRoutes.Map(app);
ProxyRoutes.Map(app);
AdminRoutes.Map(app);
app.MapFallback((HttpContext context) => KernelErrors.NotFound($"route {context.Request.Method} {context.Request.Path}"));

await app.StartAsync();
var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
Console.WriteLine($"Kernel emulator listening on {addresses.First()}");
Console.Out.Flush();

var lifetime = app.Lifetime;
if (options.ExitOnStdinClose)
{
    _ = Task.Run(async () =>
    {
        var buffer = new char[256];
        while (await Console.In.ReadAsync(buffer, 0, buffer.Length) > 0)
        {
        }

        lifetime.StopApplication();
    });
}

if (options.ParentProcessId is { } parentId)
{
    _ = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(lifetime.ApplicationStopping))
        {
            if (!IsAlive(parentId))
            {
                lifetime.StopApplication();
                return;
            }
        }
    });
}

await app.WaitForShutdownAsync();

static bool IsAlive(int processId)
{
    try
    {
        using var process = Process.GetProcessById(processId);
        return !process.HasExited;
    }
    catch (ArgumentException)
    {
        return false;
    }
}
