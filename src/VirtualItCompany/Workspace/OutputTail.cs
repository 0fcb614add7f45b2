using System.Text;

namespace VirtualItCompany.Workspace;

/// <summary>Collects the interleaved output of a process, keeping only the last characters; safe to append from several threads.</summary>
internal sealed class OutputTail(int maxChars)
{
    private readonly StringBuilder _buffer = new();
    private readonly Lock _gate = new();

    /// <summary>Appends one line of output.</summary>
    public void AppendLine(string line)
    {
        lock (_gate)
        {
            _buffer.Append(line).Append('\n');

            // Trimming only once the buffer is twice the cap keeps appends cheap.
            if (_buffer.Length > 2 * maxChars)
            {
                _buffer.Remove(0, _buffer.Length - maxChars);
            }
        }
    }

    /// <summary>Gets the last characters of the output.</summary>
    public override string ToString()
    {
        lock (_gate)
        {
            var start = Math.Max(0, _buffer.Length - maxChars);
            return _buffer.ToString(start, _buffer.Length - start);
        }
    }
}
