using System.Text;

namespace VirtualItCompany.Workspace;

/// <summary>
/// Collects the interleaved output of a process as bytes, keeping only its first and last bytes (a head and a ring-buffer tail of
/// fixed size), so a flood of any length, on one line or many, costs no more memory than the cap; safe to append from several threads.
/// </summary>
internal sealed class OutputTail
{
    private readonly byte[] _head;
    private readonly byte[] _tail;
    private readonly Lock _gate = new();
    private int _headLength;
    private long _tailWritten;

    /// <summary>Creates a buffer keeping at most <paramref name="maxBytes"/> bytes: a quarter (at most 4 KiB) from the start, the rest from the end.</summary>
    public OutputTail(int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        var head = Math.Min(maxBytes / 4, 4096);
        _head = new byte[head];
        _tail = new byte[maxBytes - head];
    }

    /// <summary>Gets how many bytes were appended in all.</summary>
    public long TotalBytes
    {
        get
        {
            lock (_gate)
            {
                return _headLength + _tailWritten;
            }
        }
    }

    /// <summary>Appends a block of output.</summary>
    public void Append(ReadOnlySpan<byte> block)
    {
        lock (_gate)
        {
            if (_headLength < _head.Length)
            {
                var take = Math.Min(block.Length, _head.Length - _headLength);
                block[..take].CopyTo(_head.AsSpan(_headLength));
                _headLength += take;
                block = block[take..];
            }

            if (block.Length == 0 || _tail.Length == 0)
            {
                _tailWritten += block.Length;
                return;
            }

            if (block.Length >= _tail.Length)
            {
                // Only the block's own end survives; place it so the ring's logical order stays intact.
                var end = block[^_tail.Length..];
                _tailWritten += block.Length;
                var start = (int)(_tailWritten % _tail.Length);
                end[..(_tail.Length - start)].CopyTo(_tail.AsSpan(start));
                end[(_tail.Length - start)..].CopyTo(_tail);
                return;
            }

            var position = (int)(_tailWritten % _tail.Length);
            var first = Math.Min(block.Length, _tail.Length - position);
            block[..first].CopyTo(_tail.AsSpan(position));
            block[first..].CopyTo(_tail);
            _tailWritten += block.Length;
        }
    }

    /// <summary>Appends one line of text and a line feed (used for notes the workspace adds).</summary>
    public void AppendLine(string line) => Append(Encoding.UTF8.GetBytes(line + "\n"));

    /// <summary>Gets the output kept: all of it when it fit, else its head, a note of how much was left out, and its tail.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            var head = Encoding.UTF8.GetString(_head, 0, _headLength);
            if (_tailWritten <= _tail.Length)
            {
                return head + Encoding.UTF8.GetString(_tail, 0, (int)_tailWritten);
            }

            var start = (int)(_tailWritten % _tail.Length);
            var tail = new byte[_tail.Length];
            _tail.AsSpan(start).CopyTo(tail);
            _tail.AsSpan(0, start).CopyTo(tail.AsSpan(_tail.Length - start));
            var omitted = _tailWritten - _tail.Length;
            return $"{head}\n[... {omitted} bytes of output left out ...]\n{Encoding.UTF8.GetString(tail)}";
        }
    }
}
