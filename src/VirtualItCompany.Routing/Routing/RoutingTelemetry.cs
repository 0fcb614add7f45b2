using System.Diagnostics;

namespace VirtualItCompany.Routing;

/// <summary>The router's activity source: one activity per model attempt, under the gen_ai span Microsoft.Extensions.AI's OpenTelemetry client writes for the call, with the model tried, its usage, cost and routing reason.</summary>
internal static class RoutingTelemetry
{
    public const string SourceName = "VirtualItCompany.Routing";

    public static ActivitySource Source { get; } = new(SourceName);

    public static Activity? Start(ModelEntry model)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity(model.ActivityName, ActivityKind.Client);
        if (activity is not null)
        {
                        activity.SetTag("vic.routing.provider", model.Profile.Provider);
            activity.SetTag("vic.routing.model", model.Profile.ModelId);
        }

        return activity;
    }

    public static void Complete(Activity? activity, string? responseModel, long inputTokens, long outputTokens, long costUnits, RoutingDecision decision)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("vic.routing.response_model", responseModel);
        activity.SetTag("vic.routing.input_tokens", inputTokens);
        activity.SetTag("vic.routing.output_tokens", outputTokens);
        activity.SetTag("vic.cost_usd", (double)BudgetUnits.ToDollars(costUnits));
        activity.SetTag("vic.routing.reason", decision.Reason);
        activity.SetTag("vic.routing.estimated_cost_usd", (double)decision.EstimatedCost);
        activity.SetTag("vic.routing.complexity", decision.Complexity);
        if (decision.FailedOver.Count > 0)
        {
            activity.SetTag("vic.routing.failed_over", string.Join(",", decision.FailedOver));
        }
    }

    public static void Fail(Activity? activity, Exception exception)
    {
        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
        activity?.SetTag("error.type", exception.GetType().FullName);
    }
}
