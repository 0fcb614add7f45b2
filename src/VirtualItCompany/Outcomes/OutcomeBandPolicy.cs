using System.Globalization;
using VirtualItCompany.Routing;

namespace VirtualItCompany.Outcomes;

/// <summary>
/// The outcome-feedback policy for one role and stage, folded over its verdicts in commit order (see
/// <see cref="OutcomeFeedbackOptions"/>): up one band when the normal band's work keeps being sent back, down again when the
/// higher band's work keeps being accepted. Pure: the same verdicts give the same state.
/// </summary>
internal static class OutcomeBandPolicy
{
    private const int MaxDoublings = 4;

    public static OutcomeBandShift Fold(AgentRole role, LifecycleStage stage, IReadOnlyList<StageVerdict> verdicts, OutcomeFeedbackOptions options)
    {
        var window = new Queue<bool>(options.Window); // true: sent back
        bool raised = false;
        int inRow = 0, raises = 0, lowerings = 0;
        foreach (var verdict in verdicts)
        {
            if (verdict.Band == BandState.Normal)
            {
                window.Enqueue(!verdict.Accepted);
                if (window.Count > options.Window)
                {
                    window.Dequeue();
                }

                if (!raised && window.Count >= options.MinVerdicts && SentBack(window) >= options.RaiseAtSentBackRate * window.Count)
                {
                    raised = true;
                    raises++;
                    inRow = 0;
                }
            }
            else if (verdict.Band == BandState.Raised && raised)
            {
                inRow = verdict.Accepted ? inRow + 1 : 0;
                if (inRow >= Needed(options, raises))
                {
                    raised = false;
                    lowerings++;
                    inRow = 0;
                    window.Clear(); // hysteresis: moving up again takes MinVerdicts new verdicts at the normal band
                }
            }

            // Mixed work (partly at each band) is evidence for neither band; stale work of the other state neither.
        }

        int sentBack = SentBack(window);
        string reason = raised
            ? string.Create(CultureInfo.InvariantCulture, $"{role} work in {stage}: {sentBack} of the last {window.Count} verdicts on its normal band's work sent it back; it moves back down after {Needed(options, raises)} acceptances in a row at the higher band ({inRow} so far)")
            : string.Create(CultureInfo.InvariantCulture, $"{role} work in {stage}: {sentBack} of the last {window.Count} verdicts on its normal band's work sent it back; it moves up a band at {options.RaiseAtSentBackRate:P0} of at least {options.MinVerdicts}{(lowerings > 0 ? $" (moved back down {lowerings} time(s) after its higher band's work kept passing)" : string.Empty)}");
        return new OutcomeBandShift(role, stage, raised ? 1 : 0, reason);
    }

    /// <summary>Acceptances in a row needed to move down: doubled each time the stage moved up again.</summary>
    private static int Needed(OutcomeFeedbackOptions options, int raises) =>
        (int)Math.Min(int.MaxValue, (long)options.LowerAfterAcceptances << Math.Clamp(raises - 1, 0, MaxDoublings));

    private static int SentBack(Queue<bool> window)
    {
        int count = 0;
        foreach (bool sentBack in window)
        {
            count += sentBack ? 1 : 0;
        }

        return count;
    }
}
