using Aspire.Hosting.Testing;
using StackExchange.Redis;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Integration;

[Trait(TestCategory.Name, TestCategory.Integration)]
[Collection(TradingAppCollection.Name)]
public sealed class RedisSecurityTests(TradingAppFixture app)
{
    [Fact]
    public async Task Redis_refuses_a_client_without_the_password()
    {
        var withPassword = ConfigurationOptions.Parse(app.RedisConnectionString);
        var anonymous = ConfigurationOptions.Parse(string.Join(",", withPassword.EndPoints.Select(e => e.ToString()!.Replace("Unspecified/", "", StringComparison.Ordinal))));
        anonymous.AbortOnConnectFail = true;
        anonymous.ConnectTimeout = 2000;

        var refused = await Record.ExceptionAsync(async () =>
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(anonymous);
            await connection.GetDatabase().PingAsync();
        });

        Assert.NotNull(refused);
        Assert.Contains("NOAUTH", refused.ToString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_redis_password_is_not_on_any_command_line()
    {
        var password = ConfigurationOptions.Parse(app.RedisConnectionString).Password;
        Assert.False(string.IsNullOrEmpty(password));

        var commandLines = Directory.EnumerateDirectories("/proc")
            .Select(dir => Path.Combine(dir, "cmdline"))
            .Select(path => { try { return File.ReadAllText(path).Replace('\0', ' '); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; } })
            .ToList();
        Assert.Contains(commandLines, line => line.Contains("redis-server", StringComparison.Ordinal));
        Assert.DoesNotContain(commandLines, line => line.Contains(password!, StringComparison.Ordinal));
    }
}
