using System.Buffers;
using System.Text;
using System.Text.Json;

namespace VirtualItCompany.Storage.Sqlite;

/// <summary>Writes lists as JSON arrays for SQLite's <c>json_each</c>, so a list is one parameter (no reflection).</summary>
internal static class JsonArrays
{
    public static string Of(IEnumerable<string> values) => Write(values, static (w, v) => w.WriteStringValue(v));

    public static string Of(IEnumerable<long> values) => Write(values, static (w, v) => w.WriteNumberValue(v));

    private static string Write<T>(IEnumerable<T> values, Action<Utf8JsonWriter, T> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var value in values)
            {
                write(writer, value);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
