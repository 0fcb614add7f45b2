namespace VirtualItCompany;

/// <summary>The company's verdicts on its models' work, per model, role and stage, and where the outcome-feedback policy holds each stage's calls.</summary>
public sealed class ModelOutcomeReport
{
    private readonly Dictionary<(string Model, AgentRole Role, LifecycleStage Stage), ModelOutcomeRate> _rates;
    private readonly Dictionary<(AgentRole Role, LifecycleStage Stage), OutcomeBandShift> _shifts;

    /// <summary>Creates a report.</summary>
    /// <param name="rates">The rates, one per model, role and stage.</param>
    /// <param name="shifts">The policy's state per role and stage; empty when the policy is off.</param>
    /// <param name="verdicts">How many verdicts the report counts.</param>
    /// <exception cref="ArgumentException">A model, role and stage (or a role and stage) is listed twice.</exception>
    public ModelOutcomeReport(IEnumerable<ModelOutcomeRate> rates, IEnumerable<OutcomeBandShift> shifts, long verdicts = 0)
    {
        ArgumentNullException.ThrowIfNull(rates);
        ArgumentNullException.ThrowIfNull(shifts);
        ArgumentOutOfRangeException.ThrowIfNegative(verdicts);
        Rates = [.. rates];
        Shifts = [.. shifts];
        Verdicts = verdicts;
        _rates = new(Rates.Count, KeyComparer.Instance);
        foreach (var rate in Rates)
        {
            ArgumentNullException.ThrowIfNull(rate, nameof(rates));
            if (!_rates.TryAdd((rate.ModelId, rate.Role, rate.Stage), rate))
            {
                throw new ArgumentException($"The rate of {rate.ModelId} as {rate.Role} in {rate.Stage} is listed twice.", nameof(rates));
            }
        }

        _shifts = new(Shifts.Count);
        foreach (var shift in Shifts)
        {
            ArgumentNullException.ThrowIfNull(shift, nameof(shifts));
            if (!_shifts.TryAdd((shift.Role, shift.Stage), shift))
            {
                throw new ArgumentException($"The shift of {shift.Role} in {shift.Stage} is listed twice.", nameof(shifts));
            }
        }
    }

    /// <summary>Gets a report with no verdicts.</summary>
    public static ModelOutcomeReport Empty { get; } = new([], []);

    /// <summary>Gets the rates, one per model, role and stage that any verdict judged.</summary>
    public IReadOnlyList<ModelOutcomeRate> Rates { get; }

    /// <summary>Gets the outcome-feedback policy's state per role and stage that verdicts judged; empty when the policy is off.</summary>
    public IReadOnlyList<OutcomeBandShift> Shifts { get; }

    /// <summary>Gets how many verdicts (review, tests, client, monitoring decisions that judged work) the report counts.</summary>
    public long Verdicts { get; }

    /// <summary>Finds the rate of a model's work for a role and stage.</summary>
    /// <param name="modelId">The model (catalog id or reported model id; compared ignoring case).</param>
    /// <param name="role">The role.</param>
    /// <param name="stage">The stage.</param>
    /// <returns>The rate, or <see langword="null"/> when no verdict judged that work yet.</returns>
    public ModelOutcomeRate? Find(string modelId, AgentRole role, LifecycleStage stage)
    {
        ArgumentNullException.ThrowIfNull(modelId);
        return _rates.GetValueOrDefault((modelId, role, stage));
    }

    /// <summary>Finds where the policy holds a role's calls in a stage.</summary>
    /// <param name="role">The role.</param>
    /// <param name="stage">The stage.</param>
    /// <returns>The shift, or <see langword="null"/> when the policy is off or no verdict judged that work yet.</returns>
    public OutcomeBandShift? FindShift(AgentRole role, LifecycleStage stage) => _shifts.GetValueOrDefault((role, stage));

    private sealed class KeyComparer : IEqualityComparer<(string Model, AgentRole Role, LifecycleStage Stage)>
    {
        public static KeyComparer Instance { get; } = new();

        public bool Equals((string Model, AgentRole Role, LifecycleStage Stage) x, (string Model, AgentRole Role, LifecycleStage Stage) y) =>
            string.Equals(x.Model, y.Model, StringComparison.OrdinalIgnoreCase) && x.Role == y.Role && x.Stage == y.Stage;

        public int GetHashCode((string Model, AgentRole Role, LifecycleStage Stage) obj) =>
            HashCode.Combine(StringComparer.OrdinalIgnoreCase.GetHashCode(obj.Model), obj.Role, obj.Stage);
    }
}
