using System.Text.Json;
using Petitions.Workflows.Privacy;

namespace Petitions.Api.Hosting;

/// <summary>
/// Where the personal-data keys come from: configuration <c>PersonalData:KeyId</c>, <c>:EncryptionKey</c>,
/// <c>:HashKey</c> and, after a rotation, <c>:PreviousKeys:&lt;id&gt;</c> (base64, 32 bytes each) in production; in Development, when none are configured, a key file
/// under <c>data/</c> that is generated on first run. Outside Development missing keys stop the service.
/// </summary>
public static class PersonalDataKeyFile
{
    private sealed record Stored(string KeyId, string EncryptionKey, string HashKey);

    public static PersonalDataKeys Resolve(IConfiguration configuration, IHostEnvironment environment, string dataDirectory)
    {
        var section = configuration.GetSection("PersonalData");
        if (section["EncryptionKey"] is { Length: > 0 } encryptionKey)
            return new PersonalDataKeys(
                section["KeyId"] ?? "k1",
                Convert.FromBase64String(encryptionKey),
                Convert.FromBase64String(section["HashKey"] ?? throw new InvalidOperationException("PersonalData:HashKey is not set.")))
            {
                // Keys retired by a rotation, by id, until `-- reencrypt` has moved every value to the current key.
                PreviousKeys = section.GetSection("PreviousKeys").GetChildren().ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value!)),
            };

        if (!environment.IsDevelopment())
            throw new InvalidOperationException(
                "PersonalData:EncryptionKey and PersonalData:HashKey must be configured outside Development (see README, 'Configuration').");

        var path = Path.Combine(dataDirectory, "personal-data-keys.json");
        if (File.Exists(path))
        {
            var stored = JsonSerializer.Deserialize<Stored>(File.ReadAllText(path))!;
            return new PersonalDataKeys(stored.KeyId, Convert.FromBase64String(stored.EncryptionKey), Convert.FromBase64String(stored.HashKey));
        }
        var keys = PersonalDataKeys.Generate();
        Directory.CreateDirectory(dataDirectory);
        File.WriteAllText(path, JsonSerializer.Serialize(new Stored(keys.KeyId, Convert.ToBase64String(keys.EncryptionKey), Convert.ToBase64String(keys.HashKey))));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return keys;
    }
}
