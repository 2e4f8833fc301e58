using System.Runtime.CompilerServices;

// Every native signature is blittable; nothing relies on the runtime's marshaller.
[assembly: DisableRuntimeMarshalling]
