using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace VirtualItCompany;

/// <summary>
/// The event types a serializer knows, each with its <c>$type</c> discriminator: the built-in events, plus the custom
/// <see cref="ProjectEvent"/> types registered with <see cref="Register{TEvent}"/>.
/// </summary>
/// <remarks>
/// Custom events are registered with source-generated metadata (a <see cref="JsonTypeInfo{T}"/> from a
/// <see cref="JsonSerializerContext"/>), so serialization stays trim- and native-AOT-safe. Register every type before the
/// first use of <see cref="SerializerOptions"/> (or of <see cref="ProjectEventSerializer"/> with these types); the set is
/// fixed from then on. Use one instance for the application, as a store or feed that persists events does.
/// </remarks>
/// <example>
/// <code>
/// [JsonSerializable(typeof(InvoiceSent))]
/// internal sealed partial class MyEventsContext : JsonSerializerContext;
///
/// var types = new ProjectEventTypes().Register("invoiceSent", MyEventsContext.Default.InvoiceSent);
/// string json = ProjectEventSerializer.Serialize(new InvoiceSent(42m), types);
/// </code>
/// </example>
public sealed class ProjectEventTypes
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Type> _byDiscriminator = new(StringComparer.Ordinal);
    private readonly Dictionary<Type, string> _byType = [];
    private readonly List<(Type Type, string Discriminator, IJsonTypeInfoResolver Resolver)> _custom = [];
    private JsonSerializerOptions? _options;

    /// <summary>Initializes a new instance of the <see cref="ProjectEventTypes"/> class that knows the built-in events.</summary>
    public ProjectEventTypes()
    {
        foreach (var derived in AbstractionsJsonContext.Default.ProjectEvent.PolymorphismOptions!.DerivedTypes)
        {
            var discriminator = (string)derived.TypeDiscriminator!;
            _byDiscriminator.Add(discriminator, derived.DerivedType);
            _byType.Add(derived.DerivedType, discriminator);
        }
    }

    /// <summary>Gets the built-in events only, as <see cref="ProjectEventSerializer"/>'s overloads without types use.</summary>
    internal static ProjectEventTypes BuiltIn { get; } = new();

    /// <summary>
    /// Gets the serializer options for events and for the records a store keeps (<see cref="ProjectSnapshot"/>,
    /// <see cref="WorkItem"/>, <see cref="ProjectCommit"/>...): web defaults, enums as strings, source-generated metadata
    /// for the built-in types and the registered ones. Reading them fixes the set of types.
    /// </summary>
    public JsonSerializerOptions SerializerOptions
    {
        get
        {
            lock (_gate)
            {
                return _options ??= CreateOptions();
            }
        }
    }

    /// <summary>Registers a custom event type with its discriminator and its source-generated metadata.</summary>
    /// <typeparam name="TEvent">The event type: a concrete subclass of <see cref="ProjectEvent"/>.</typeparam>
    /// <param name="discriminator">The <c>$type</c> value written for the event, unique among all event types (such as <c>invoiceSent</c>).</param>
    /// <param name="typeInfo">The event's metadata from a <see cref="JsonSerializerContext"/>, such as <c>MyEventsContext.Default.InvoiceSent</c>; its context also resolves the types the event holds.</param>
    /// <returns>These types, to chain registrations.</returns>
    /// <exception cref="ArgumentException">The discriminator or the type is already registered, or the metadata comes from no resolver.</exception>
    /// <exception cref="InvalidOperationException">The types were already used to serialize.</exception>
    public ProjectEventTypes Register<TEvent>(string discriminator, JsonTypeInfo<TEvent> typeInfo)
        where TEvent : ProjectEvent
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(discriminator);
        ArgumentNullException.ThrowIfNull(typeInfo);
        var resolver = typeInfo.Options.TypeInfoResolver
            ?? throw new ArgumentException($"The metadata of {typeof(TEvent).Name} has no resolver; pass the type info of a JsonSerializerContext, such as MyEventsContext.Default.{typeof(TEvent).Name}.", nameof(typeInfo));
        if (typeof(TEvent).IsAbstract)
        {
            throw new ArgumentException($"{typeof(TEvent).Name} is abstract; register the concrete event types.", nameof(typeInfo));
        }

        lock (_gate)
        {
            if (_options is not null)
            {
                throw new InvalidOperationException($"{typeof(TEvent).Name} cannot be registered: these event types were already used to serialize. Register every custom event type at startup, before the first event is serialized.");
            }

            if (_byDiscriminator.TryGetValue(discriminator, out var taken))
            {
                throw new ArgumentException($"The discriminator '{discriminator}' is already used by {taken.Name}; give {typeof(TEvent).Name} another one.", nameof(discriminator));
            }

            if (_byType.TryGetValue(typeof(TEvent), out var existing))
            {
                throw new ArgumentException($"{typeof(TEvent).Name} is already registered, with the discriminator '{existing}'.", nameof(discriminator));
            }

            _byDiscriminator.Add(discriminator, typeof(TEvent));
            _byType.Add(typeof(TEvent), discriminator);
            _custom.Add((typeof(TEvent), discriminator, resolver));
        }

        return this;
    }

    /// <summary>Gets whether an event type is known: built in or registered.</summary>
    /// <param name="eventType">The event's runtime type.</param>
    /// <returns><see langword="true"/> when events of the type can be serialized with these types.</returns>
    public bool IsRegistered(Type eventType)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        lock (_gate)
        {
            return _byType.ContainsKey(eventType);
        }
    }

    /// <summary>Throws a message that says how to register an event type that is not known.</summary>
    internal void EnsureRegistered(ProjectEvent projectEvent)
    {
        var type = projectEvent.GetType();
        if (!IsRegistered(type))
        {
            throw new NotSupportedException(
                $"The event type {type.FullName} is not registered for serialization. Register it with its discriminator and source-generated metadata, " +
                $"new ProjectEventTypes().Register(\"{JsonNamingPolicy.CamelCase.ConvertName(type.Name)}\", MyJsonContext.Default.{type.Name}), " +
                "and serialize with ProjectEventSerializer.Serialize(projectEvent, types).");
        }
    }

    private JsonSerializerOptions CreateOptions()
    {
        // Our context first, so the built-in types always use its metadata; custom contexts resolve their events and what those hold.
        IJsonTypeInfoResolver[] resolvers = [AbstractionsJsonContext.Default, .. _custom.Select(c => c.Resolver).Distinct()];
        var custom = _custom.Select(c => new JsonDerivedType(c.Type, c.Discriminator)).ToArray();
        var options = new JsonSerializerOptions(AbstractionsJsonContext.Default.Options)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine(resolvers).WithAddedModifier(typeInfo =>
            {
                if (typeInfo.Type == typeof(ProjectEvent))
                {
                    foreach (var derived in custom)
                    {
                        typeInfo.PolymorphismOptions!.DerivedTypes.Add(derived);
                    }
                }
            }),
        };
        options.MakeReadOnly();
        return options;
    }
}
