using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace VirtualItCompany.Routing;

/// <summary>
/// The default complexity estimate: a small logistic model over text features of the call (hashed words and word
/// pairs of the last user message, its length and lines, digits and math notation, tools, schema, message count),
/// trained offline on public per-problem results (which problems a pool of models failed) and shipped inside this
/// assembly. It runs in process, deterministically, with no network and no model download.
/// </summary>
/// <remarks>
/// The model gives the probability <c>p</c> that a call is beyond a typical model; nine cut points (the deciles of
/// the training estimates) map it onto 1-10, so each complexity holds about a tenth of the training calls, higher is
/// harder, and the routing bands keep their meaning. <see cref="SuggestedStrongFrom"/> is the complexity from which the training data says the
/// stronger of a strong/weak pair is needed (chosen on training data only). The training, the data and the measured
/// savings are in benchmarks/VirtualItCompany.Routing.Benchmarks (verbs <c>estimator-train</c> and <c>estimator-eval</c>).
/// </remarks>
public sealed class LearnedComplexityEstimator : IExplainingComplexityEstimator
{
    private const int Top = 3;
    private readonly ComplexityModel _model;

    internal LearnedComplexityEstimator(ComplexityModel model)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
    }

    /// <summary>Gets the shared instance, with the model shipped in this package.</summary>
    public static LearnedComplexityEstimator Instance { get; } = new(ComplexityModel.Shipped);

    /// <summary>Gets the complexity from which the training data says calls need the stronger model of a strong/weak pair (to keep 95% of its accuracy); give the weaker model a band that ends just below it.</summary>
    public int SuggestedStrongFrom => _model.StrongFrom;

    /// <inheritdoc/>
    public int Estimate(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return _model.ToComplexity(Probability(messages, options));
    }

    /// <inheritdoc/>
    public ComplexityEstimate EstimateWithExplanation(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var sink = new ExplainingSink(_model);
        ComplexityFeatures.Extract(messages, options, ref sink);
        double p = Sigmoid(sink.Logit);
        int complexity = _model.ToComplexity(p);
        return new ComplexityEstimate(complexity, sink.Explain(p, complexity));
    }

    /// <summary>The model's probability that the call is beyond a typical model (the score before it is mapped onto 1-10).</summary>
    internal double Probability(IReadOnlyList<ChatMessage> messages, ChatOptions? options)
    {
        var sink = new ScoringSink(_model);
        ComplexityFeatures.Extract(messages, options, ref sink);
        return Sigmoid(sink.Logit);
    }

    private static double Sigmoid(double logit) => 1 / (1 + Math.Exp(-logit));

    private struct ScoringSink(ComplexityModel model) : IComplexityFeatureSink
    {
        private readonly ComplexityModel _model = model;
        private double _dense;
        private double _sparse;

        public double Logit;

        public void Dense(int index, float value) => _dense += _model.DenseWeights[index] * (value - _model.DenseMeans[index]);

        public void Token(int bucket, string text, int start, int length) => _sparse += _model.BucketWeights[bucket];

        public void End(int tokenCount) => Logit = _model.Bias + _dense + (tokenCount > 0 ? _sparse / Math.Sqrt(tokenCount) : 0);
    }

    private struct ExplainingSink(ComplexityModel model) : IComplexityFeatureSink
    {
        private readonly ComplexityModel _model = model;
        private double _dense;
        private double _sparse;
        private Factors _structure;
        private Factors _words;

        public double Logit;

        public void Dense(int index, float value)
        {
            double contribution = _model.DenseWeights[index] * (value - _model.DenseMeans[index]);
            _dense += contribution;
            _structure.Offer(contribution, index, null, 0, 0);
        }

        public void Token(int bucket, string text, int start, int length)
        {
            float weight = _model.BucketWeights[bucket];
            _sparse += weight;
            _words.Offer(weight, -1 - bucket, text, start, length);
        }

        public void End(int tokenCount)
        {
            double scale = tokenCount > 0 ? 1 / Math.Sqrt(tokenCount) : 0;
            Logit = _model.Bias + _dense + (_sparse * scale);
            _words.Scale(scale);
        }

        public readonly string Explain(double probability, int complexity)
        {
            // Built on the stack: the only allocation is the returned string.
            var text = new DefaultInterpolatedStringHandler(0, 0, CultureInfo.InvariantCulture, stackalloc char[256]);
            text.AppendLiteral("learned text estimate ");
            text.AppendFormatted(complexity);
            text.AppendLiteral(" (p=");
            text.AppendFormatted(probability, "0.00");
            text.AppendLiteral(" beyond a typical model); most weight: ");

            // Both lists are in order of size (the words' common scale keeps their order): merge the top three.
            int s = 0, w = 0, shown = 0;
            while (shown < Top && (s < _structure.Count || w < _words.Count))
            {
                bool takeStructure = w >= _words.Count || (s < _structure.Count && Math.Abs(_structure[s].Contribution) >= Math.Abs(_words[w].Contribution));
                var factor = takeStructure ? _structure[s++] : _words[w++];
                if (shown++ > 0)
                {
                    text.AppendLiteral(", ");
                }

                factor.Describe(ref text);
            }

            if (shown == 0)
            {
                text.AppendLiteral("none");
            }

            return text.ToStringAndClear();
        }
    }

    /// <summary>The <see cref="Top"/> features with the largest effect so far (by absolute logit contribution), kept without allocating.</summary>
    private struct Factors
    {
        private Factor _a, _b, _c;
        private int _count;

        public void Offer(double contribution, int key, string? text, int start, int length)
        {
            if (contribution == 0)
            {
                return;
            }

            // The same word again: keep its first place (its weight per occurrence is the same).
            if ((_count > 0 && _a.Key == key) || (_count > 1 && _b.Key == key) || (_count > 2 && _c.Key == key))
            {
                return;
            }

            var factor = new Factor(contribution, key, text, start, length);
            double size = Math.Abs(contribution);
            if (_count < Top)
            {
                _count++;
            }
            else if (size <= Math.Abs(_c.Contribution))
            {
                return;
            }

            // Insert in order of size into a, b, c.
            if (_count == 1 || size > Math.Abs(_a.Contribution))
            {
                _c = _b;
                _b = _a;
                _a = factor;
            }
            else if (_count == 2 || size > Math.Abs(_b.Contribution))
            {
                _c = _b;
                _b = factor;
            }
            else
            {
                _c = factor;
            }
        }

        public void Scale(double scale)
        {
            _a = _a.Scaled(scale);
            _b = _b.Scaled(scale);
            _c = _c.Scaled(scale);
        }

        public readonly int Count => _count;

        public readonly Factor this[int index] => index switch { 0 => _a, 1 => _b, _ => _c };
    }

    private readonly record struct Factor(double Contribution, int Key, string? Text, int Start, int Length)
    {
        private const int MaxShown = 32;

        public Factor Scaled(double scale) => this with { Contribution = Contribution * scale };

        public void Describe(ref DefaultInterpolatedStringHandler text)
        {
            text.AppendLiteral(Contribution >= 0 ? "+" : "-");
            if (Text is null)
            {
                text.AppendLiteral(ComplexityFeatures.DenseNames[Key]);
            }
            else
            {
                text.AppendLiteral("'");
                var span = Text.AsSpan(Start, Math.Min(Length, MaxShown));
                foreach (char c in span)
                {
                    text.AppendFormatted(char.IsWhiteSpace(c) ? ' ' : c);
                }

                text.AppendLiteral("'");
            }

            text.AppendLiteral(" ");
            text.AppendFormatted(Math.Abs(Contribution), "0.00");
        }
    }
}
