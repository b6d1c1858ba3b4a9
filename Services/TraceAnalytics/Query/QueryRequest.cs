using Microsoft.AspNetCore.Http.HttpResults;

namespace TradingAspire.TraceAnalytics.Query;

/// <summary>
/// A request's parameters as the endpoint binds them (<c>[AsParameters]</c>; raw text, so that a bad value is
/// reported by name instead of failing the binding) and the typed query they make once checked.
/// </summary>
public interface IQueryRequest<TQuery> where TQuery : class
{
    /// <summary>The typed query, or null with every problem reported to <paramref name="errors"/>.</summary>
    TQuery? ToQuery(DateTime now, QueryErrors errors);
}

/// <summary>The one validation path of the analytics API: 400 ValidationProblem naming each bad parameter, or the answer.</summary>
public static class QueryRequest
{
    public static async Task<Results<Ok<TResponse>, ValidationProblem>> AnswerAsync<TQuery, TResponse>(
        this IQueryRequest<TQuery> request, TimeProvider clock, Func<TQuery, Task<TResponse>> answer)
        where TQuery : class
    {
        var errors = new QueryErrors();
        var query = request.ToQuery(clock.GetUtcNow().UtcDateTime, errors);
        if (errors.Any || query is null)
        {
            return errors.ToProblem();
        }

        return TypedResults.Ok(await answer(query));
    }

    /// <summary>The same for a query about one thing that may not exist: 404 <paramref name="notFound"/> when the answer is null.</summary>
    public static async Task<Results<Ok<TResponse>, ProblemHttpResult, ValidationProblem>> AnswerAsync<TQuery, TResponse>(
        this IQueryRequest<TQuery> request, TimeProvider clock, Func<TQuery, Task<TResponse?>> answer, Func<TQuery, ProblemHttpResult> notFound)
        where TQuery : class
        where TResponse : class
    {
        var errors = new QueryErrors();
        var query = request.ToQuery(clock.GetUtcNow().UtcDateTime, errors);
        if (errors.Any || query is null)
        {
            return errors.ToProblem();
        }

        return await answer(query) is { } response ? TypedResults.Ok(response) : notFound(query);
    }
}
