using Microsoft.AspNetCore.Http.HttpResults;

namespace TradingAspire.TraceAnalytics.Query;

/// <summary>
/// Collects what is wrong with a request's query parameters, field by field, and answers with a 400
/// ValidationProblem whose <c>errors</c> name each field.
/// </summary>
public sealed class QueryErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages))
        {
            errors[field] = messages = [];
        }

        messages.Add(message);
    }

    public ValidationProblem ToProblem() => TypedResults.ValidationProblem(
        errors.ToDictionary(e => e.Key, e => e.Value.ToArray()),
        title: "Invalid query parameters",
        detail: string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")));
}
