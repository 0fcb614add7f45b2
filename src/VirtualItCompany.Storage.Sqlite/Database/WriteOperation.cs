namespace VirtualItCompany.Storage.Sqlite;

/// <summary>
/// A write waiting for the writer: it runs in a batch's transaction, and its task completes only once the batch is durable.
/// It may run twice (its batch is run again when another write fails after changing rows), so it must change nothing but
/// the database; its last run's result is the one reported.
/// </summary>
internal abstract class WriteOperation
{
    /// <summary>Takes the write into a batch, unless its caller cancelled it while it waited.</summary>
    public abstract bool TryStart();

    /// <summary>Runs the write inside the batch's transaction; what it throws undoes it.</summary>
    public abstract void Run(WriteContext context);

    /// <summary>Records that the write was undone, with why; reported once the batch ends.</summary>
    public abstract void Fail(Exception error);

    /// <summary>Fails the write whatever it did: its batch was not stored.</summary>
    public abstract void Abort(Exception error);

    /// <summary>Completes the task: with the write's result, or with its own failure.</summary>
    public abstract void Complete();
}

/// <summary>A write with a result.</summary>
/// <typeparam name="T">The result.</typeparam>
internal sealed class WriteOperation<T>(Func<WriteContext, T> write, CancellationToken cancellationToken) : WriteOperation
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T _result = default!;
    private Exception? _error;

    public Task<T> Task => _completion.Task;

    public override bool TryStart()
    {
        if (cancellationToken.IsCancellationRequested)
        {
            _completion.TrySetCanceled(cancellationToken);
            return false;
        }

        return true;
    }

    public override void Run(WriteContext context)
    {
        _error = null;
        _result = write(context);
    }

    public override void Fail(Exception error) => _error = error;

    public override void Abort(Exception error) => _completion.TrySetException(error);

    public override void Complete()
    {
        if (_error is not null)
        {
            _completion.TrySetException(_error);
        }
        else
        {
            _completion.TrySetResult(_result);
        }
    }
}
