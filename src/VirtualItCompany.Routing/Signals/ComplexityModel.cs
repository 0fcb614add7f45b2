using System.Buffers.Binary;

namespace VirtualItCompany.Routing;

/// <summary>
/// The weights of the learned complexity estimate: a logistic model over <see cref="ComplexityFeatures"/>
/// (bias, centred structural features, hashed words and word pairs divided by the square root of the token count).
/// The probability maps onto 1-10 by nine cut points (the deciles of the out-of-fold training estimates), so each
/// complexity holds about a tenth of the training calls and higher is harder.
/// Stored as a little-endian binary: "VICM", version 2, bucket count, structural feature count, the complexity from
/// which the training data says the stronger model is needed, the bias, the nine cut points, the structural weights,
/// their training means, then the bucket weights (float32 each).
/// </summary>
internal sealed class ComplexityModel
{
    private const int Magic = 0x4D434956; // "VICM"
    private const string ResourceName = "VirtualItCompany.Routing.Signals.complexity-model.bin";

    public const int CutCount = 9;

    public ComplexityModel(float bias, float[] cuts, float[] denseWeights, float[] denseMeans, float[] bucketWeights, int strongFrom)
    {
        ArgumentNullException.ThrowIfNull(cuts);
        if (cuts.Length != CutCount || !cuts.Zip(cuts.Skip(1)).All(c => c.First <= c.Second))
        {
            throw new ArgumentException($"A complexity model needs {CutCount} ascending cut points.", nameof(cuts));
        }

        ArgumentNullException.ThrowIfNull(denseWeights);
        ArgumentNullException.ThrowIfNull(denseMeans);
        ArgumentNullException.ThrowIfNull(bucketWeights);
        if (denseWeights.Length != ComplexityFeatures.DenseNames.Length || denseMeans.Length != denseWeights.Length)
        {
            throw new ArgumentException($"A complexity model needs {ComplexityFeatures.DenseNames.Length} structural weights and means; it has {denseWeights.Length} and {denseMeans.Length}.", nameof(denseWeights));
        }

        if (bucketWeights.Length != ComplexityFeatures.Buckets)
        {
            throw new ArgumentException($"A complexity model needs {ComplexityFeatures.Buckets} bucket weights; it has {bucketWeights.Length}.", nameof(bucketWeights));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(strongFrom, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(strongFrom, 11);
        Bias = bias;
        Cuts = cuts;
        DenseWeights = denseWeights;
        DenseMeans = denseMeans;
        BucketWeights = bucketWeights;
        StrongFrom = strongFrom;
    }

    public float Bias { get; }

    /// <summary>Gets the nine ascending probabilities at which the complexity steps up (2 to 10).</summary>
    public float[] Cuts { get; }

    public float[] DenseWeights { get; }

    public float[] DenseMeans { get; }

    public float[] BucketWeights { get; }

    /// <summary>Gets the complexity from which the training data says the stronger model is needed (11: never).</summary>
    public int StrongFrom { get; }

    /// <summary>Maps a probability onto 1-10: one more than the number of cut points at or below it.</summary>
    public int ToComplexity(double probability)
    {
        int complexity = 1;
        foreach (var cut in Cuts)
        {
            complexity += probability >= cut ? 1 : 0;
        }

        return complexity;
    }

    /// <summary>Gets the model shipped in this assembly.</summary>
    public static ComplexityModel Shipped { get; } = LoadShipped();

    public static ComplexityModel Read(ReadOnlySpan<byte> data)
    {
        int dense = ComplexityFeatures.DenseNames.Length;
        int expected = 24 + (4 * (CutCount + (2 * dense) + ComplexityFeatures.Buckets));
        if (data.Length != expected || BinaryPrimitives.ReadInt32LittleEndian(data) != Magic || BinaryPrimitives.ReadInt32LittleEndian(data[4..]) != 2)
        {
            throw new InvalidDataException($"Not a version-2 complexity model of {expected} bytes (VICM header); it has {data.Length} bytes.");
        }

        if (BinaryPrimitives.ReadInt32LittleEndian(data[8..]) != ComplexityFeatures.Buckets || BinaryPrimitives.ReadInt32LittleEndian(data[12..]) != dense)
        {
            throw new InvalidDataException("The complexity model was trained for other features (bucket or structural feature count differs); retrain it with estimator-train.");
        }

        int strongFrom = BinaryPrimitives.ReadInt32LittleEndian(data[16..]);
        float bias = BinaryPrimitives.ReadSingleLittleEndian(data[20..]);
        var offset = 24;
        var cuts = ReadFloats(data, ref offset, CutCount);
        var weights = ReadFloats(data, ref offset, dense);
        var means = ReadFloats(data, ref offset, dense);
        var buckets = ReadFloats(data, ref offset, ComplexityFeatures.Buckets);
        return new ComplexityModel(bias, cuts, weights, means, buckets, strongFrom);
    }

    public byte[] Write()
    {
        int dense = DenseWeights.Length;
        var data = new byte[24 + (4 * (CutCount + (2 * dense) + BucketWeights.Length))];
        var span = data.AsSpan();
        BinaryPrimitives.WriteInt32LittleEndian(span, Magic);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 2);
        BinaryPrimitives.WriteInt32LittleEndian(span[8..], BucketWeights.Length);
        BinaryPrimitives.WriteInt32LittleEndian(span[12..], dense);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], StrongFrom);
        BinaryPrimitives.WriteSingleLittleEndian(span[20..], Bias);
        int offset = 24;
        foreach (var array in new[] { Cuts, DenseWeights, DenseMeans, BucketWeights })
        {
            foreach (var value in array)
            {
                BinaryPrimitives.WriteSingleLittleEndian(span[offset..], value);
                offset += 4;
            }
        }

        return data;
    }

    private static float[] ReadFloats(ReadOnlySpan<byte> data, ref int offset, int count)
    {
        var values = new float[count];
        for (int i = 0; i < count; i++, offset += 4)
        {
            values[i] = BinaryPrimitives.ReadSingleLittleEndian(data[offset..]);
            if (!float.IsFinite(values[i]))
            {
                throw new InvalidDataException($"The complexity model has a weight that is not a finite number at byte {offset}.");
            }
        }

        return values;
    }

    private static ComplexityModel LoadShipped()
    {
        using var stream = typeof(ComplexityModel).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The assembly has no embedded resource {ResourceName}; the package is damaged.");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return Read(copy.GetBuffer().AsSpan(0, (int)copy.Length));
    }
}
