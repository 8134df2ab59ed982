using Runtime.Observation;
using Runtime.Observation.Events;

namespace Runtime.Server.Hosting;

/// <summary>Wires observation into the server: the event stream, the observers and their options.</summary>
public static class ObservationRegistration
{
    /// <summary>
    /// Binds <see cref="ObservationOptions"/> from <c>Runtime:Observation</c> and <see cref="EventStreamOptions"/>
    /// from <c>Runtime:Observation:Events</c> (observer cycles kept in <c>Runtime:DataDirectory</c>), and registers the
    /// event stream (over the ledger's event log, as the event categories the host produces) and the observation engine.
    /// </summary>
    public static IHostApplicationBuilder AddRuntimeObservation(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        builder.Services.AddOptions<ObservationOptions>()
            .Bind(configuration.GetSection(ObservationOptions.SectionName))
            .PostConfigure(o => o.DataDirectory = DataDirectory(configuration))
            .ValidateOnStart();
        builder.Services.AddOptions<EventStreamOptions>()
            .Bind(configuration.GetSection(EventStreamOptions.SectionName))
            .ValidateOnStart();
        builder.Services.AddRuntimeObservation();
        return builder;
    }

    private static string DataDirectory(IConfiguration configuration) =>
        Path.GetFullPath(configuration.GetSection(ServerOptions.Section).Get<ServerOptions>()?.DataDirectory ?? new ServerOptions().DataDirectory);
}
