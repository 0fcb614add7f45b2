using VirtualItCompany;
using VirtualItCompany.Lifecycle;

namespace PackageSnippets;

/// <summary>src/VirtualItCompany.Lifecycle/README.md: a lifecycle from scratch, one derived from the default, and the engine.</summary>
internal static class LifecycleSnippets
{
    public static string Run()
    {
        // README:start
        // Stages, roles and triggers are extensible values: name your own.
        LifecycleStage draft = new("Draft"), published = new("Published"), securityReview = new("SecurityReview");
        LifecycleTrigger publish = new("Publish"), securityApproved = new("SecurityApproved");
        AgentRole author = new("Author"), securityReviewer = new("SecurityReviewer");

        // Build one from scratch...
        var editorial = LifecycleDefinition.CreateBuilder("Editorial", draft)
            .Stage(draft, author)
            .Permit(draft, publish, published)
            .Terminal(published)
            .Build(); // throws InvalidLifecycleException listing every problem

        // ...or derive one from the default: a security review after code review, no client review.
        var secured = LifecycleDefinition.Default.ToBuilder("Secured")
            .Stage(securityReview, securityReviewer)
            .Reroute(LifecycleStage.CodeReview, LifecycleTrigger.ReviewApproved, securityReview)
            .Permit(securityReview, securityApproved, LifecycleStage.Testing)
            .RemoveStage(LifecycleStage.ClientReview)
            .Permit(LifecycleStage.StagingDeployment, LifecycleTrigger.StagingDeployed, LifecycleStage.ProductionDeployment)
            .WithClientActions(LifecycleClientActions.Default with { Approved = null, ChangesRequested = null })
            .Build();

        var engine = new LifecycleEngine(secured);
        var next = engine.Fire(LifecycleStage.CodeReview, LifecycleTrigger.ReviewApproved); // securityReview
        // README:end
        if (next != securityReview || new LifecycleEngine(editorial).Fire(draft, publish) != published)
        {
            throw new InvalidOperationException($"Code review approved led to {next}, not {securityReview}.");
        }

        return $"{editorial.Name} ({editorial.Stages.Count} stages), {secured.Name} ({secured.Stages.Count} stages): code review approved -> {next}";
    }
}
