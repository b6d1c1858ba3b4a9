using System.Reflection;
using TradingAspire.Tests.Support;

namespace TradingAspire.Tests;

/// <summary>Every test class says what it needs (Unit, Integration or Browser), so that the unit tests can run alone.</summary>
[Trait(TestCategory.Name, TestCategory.Unit)]
public sealed class TestCategoryTests
{
    private static readonly string[] Known = [TestCategory.Unit, TestCategory.Integration, TestCategory.Browser];

    [Fact]
    public void Every_test_class_has_exactly_one_known_category()
    {
        var classes = typeof(TestCategoryTests).Assembly.GetTypes()
            .Where(t => t.GetMethods().Any(m => m.GetCustomAttributes<FactAttribute>(inherit: true).Any()))
            .ToList();
        Assert.NotEmpty(classes);

        var wrong = classes
            .Select(t => (Type: t, Categories: t.GetCustomAttributesData()
                .Where(a => a.AttributeType == typeof(TraitAttribute) && (string?)a.ConstructorArguments[0].Value == TestCategory.Name)
                .Select(a => (string?)a.ConstructorArguments[1].Value)
                .ToList()))
            .Where(c => c.Categories.Count != 1 || !Known.Contains(c.Categories[0]))
            .Select(c => $"{c.Type.Name}: [{string.Join(", ", c.Categories)}]")
            .ToList();
        Assert.True(wrong.Count == 0, "Test classes without exactly one known category: " + string.Join("; ", wrong));
    }
}
