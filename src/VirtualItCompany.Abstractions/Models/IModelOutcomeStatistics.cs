namespace VirtualItCompany;

/// <summary>
/// The company's verdicts on its models' work (accepted or sent back, per model, role and stage), derived from the
/// projects' committed events so every process and every store reads the same; the router shows them in its decisions and
/// the outcome-feedback policy moves a stage's calls by them.
/// </summary>
public interface IModelOutcomeStatistics
{
    /// <summary>Gets the statistics.</summary>
    /// <param name="call">
    /// The work item a model call is made for: the report then counts every verdict its project committed before the item
    /// began (<see cref="ModelCallContext.ProjectVersion"/>); <see langword="null"/> to bring every project up to date.
    /// </param>
    /// <param name="cancellationToken">Cancels reading the events.</param>
    /// <returns>The report.</returns>
    ValueTask<ModelOutcomeReport> GetReportAsync(ModelCallContext? call = null, CancellationToken cancellationToken = default);
}
