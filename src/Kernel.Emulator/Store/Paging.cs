using System.Globalization;

namespace Kernel.Emulator.Store;

/// <summary>Offset pagination as the API does it (kernel-api.md §4): bare JSON arrays and X-* headers.</summary>
public static class Paging
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>Reads limit (1–100, default 20) and offset (≥ 0); on a bad value returns the 400 to send.</summary>
    public static IResult? TryRead(HttpRequest request, out int limit, out int offset)
    {
        limit = DefaultLimit;
        offset = 0;
        var limitText = request.Query["limit"].ToString();
        var offsetText = request.Query["offset"].ToString();
        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
        {
            return KernelErrors.BadRequest($"invalid limit '{limitText}': must be an integer from 1 to {MaxLimit}");
        }

        if (offsetText.Length > 0 && !int.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out offset))
        {
            return KernelErrors.BadRequest($"invalid offset '{offsetText}': must be an integer of 0 or more");
        }

        return null;
    }

    /// <summary>One page of <paramref name="all"/>, with X-Limit, X-Offset, X-Next-Offset (0 on the last page) and X-Has-More.</summary>
    public static IResult Page<T>(HttpResponse response, IReadOnlyList<T> all, int limit, int offset)
    {
        var page = all.Skip(offset).Take(limit).ToList();
        var hasMore = offset + page.Count < all.Count;
        response.Headers["X-Limit"] = limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-Offset"] = offset.ToString(CultureInfo.InvariantCulture);
        response.Headers["X-Next-Offset"] = (hasMore ? offset + limit : 0).ToString(CultureInfo.InvariantCulture);
        response.Headers["X-Has-More"] = hasMore ? "true" : "false";
        return Results.Json(page, KernelJson.Options);
    }

    /// <summary>
    /// A list endpoint's answer: limit and offset read (400 when bad), the matches taken under the world's lock,
    /// one page of them.
    /// </summary>
    public static IResult List<T>(HttpContext context, World world, Func<IEnumerable<T>> matches) =>
        TryRead(context.Request, out var limit, out var offset) ?? Page(context.Response, world.Locked(() => matches().ToList()), limit, offset);

    /// <summary>True when there is no search text, or one of the fields contains it (case-insensitive).</summary>
    public static bool Found(string? query, params string?[] fields) =>
        string.IsNullOrEmpty(query) || fields.Any(field => field?.Contains(query, StringComparison.OrdinalIgnoreCase) == true);
}
