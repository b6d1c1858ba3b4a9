using System.Diagnostics;

namespace TradingAspire.ServiceDefaults;

/// <summary>Marks spans failed the way the OpenTelemetry conventions ask: status, error.type, an event.</summary>
public static class ActivityErrors
{
    public static void RecordError(this Activity? activity, string errorType, string description, Exception? exception = null)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, description);
        activity.SetTag(SemanticAttributes.ErrorType, errorType);
        if (exception is not null)
        {
            activity.AddException(exception);
        }
        else
        {
            activity.AddEvent(new ActivityEvent("error", tags: new ActivityTagsCollection
            {
                [SemanticAttributes.ErrorType] = errorType,
                [SemanticAttributes.ExceptionMessage] = description,
            }));
        }
    }
}
