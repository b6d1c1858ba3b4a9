using TradingAspire.AppHost;
using TradingAspire.Messaging;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests.Messaging;

[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class ConsumerNamesTests
{
    [Fact]
    public void A_replica_is_named_by_its_index_so_a_restart_gets_its_name_back() =>
        Assert.Equal("risk-2", ConsumerNames.Default("risk", "2", "host", 1234));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("{{- index .Annotations \"resource-replica-index\" -}}")] // a template the orchestrator did not fill in
    [InlineData("-1")]
    public void Without_a_replica_index_each_process_is_a_new_consumer(string? index) =>
        Assert.Equal("risk-host-1234", ConsumerNames.Default("risk", index, "host", 1234));

    [Fact]
    public void A_configured_name_wins() => Assert.Equal("mine", ConsumerNames.For("risk", "mine"));

    [Fact]
    public void The_AppHost_and_the_services_agree_on_the_variable() =>
        Assert.Equal(ConsumerNames.ReplicaIndexVariable, ServiceReplicas.IndexVariable);
}
