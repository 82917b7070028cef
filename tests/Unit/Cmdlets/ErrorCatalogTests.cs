using System.Management.Automation;
using System.Net;
using Kernel.PowerShell.Cmdlets;

namespace Kernel.PowerShell.Tests.Cmdlets;

/// <summary>HTTP status codes map to stable ErrorIds and the categories scripts test for.</summary>
public class ErrorCatalogTests
{
    [Theory]
    [InlineData(401, "ApiUnauthorized", ErrorCategory.AuthenticationError)]
    [InlineData(403, "ApiForbidden", ErrorCategory.PermissionDenied)]
    [InlineData(404, "ApiNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData(408, "ApiRequestTimeout", ErrorCategory.OperationTimeout)]
    [InlineData(409, "ApiConflict", ErrorCategory.ResourceExists)]
    [InlineData(429, "ApiRateLimited", ErrorCategory.LimitsExceeded)]
    [InlineData(500, "ApiServerError", ErrorCategory.ResourceUnavailable)]
    [InlineData(504, "ApiServerError", ErrorCategory.OperationTimeout)]
    public void Statuses_map_to_ids_and_categories(int status, string errorId, ErrorCategory category)
    {
        Assert.Equal(errorId, ErrorCatalog.ApiErrorId((HttpStatusCode)status));
        Assert.Equal(category, ErrorCatalog.ApiCategory((HttpStatusCode)status));
    }
}
