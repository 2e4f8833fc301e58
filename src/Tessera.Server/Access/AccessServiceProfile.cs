namespace Tessera.Server.Access;

/// <summary>
/// The interaction pattern of a rule's IIIF access service (Auth 2.0 §3.3): <c>active</c> opens the login page,
/// <c>kiosk</c> opens a window that only closes (a managed device whose session exists already), <c>external</c> has
/// no access service (the session comes from outside, e.g. a trusted proxy header).
/// </summary>
public enum AccessServiceProfile
{
    Active,
    Kiosk,
    External,
}
